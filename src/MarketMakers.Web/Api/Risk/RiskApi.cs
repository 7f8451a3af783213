using MarketMakers.Core.Audit;
using MarketMakers.Core.Risk;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Risk;

public sealed record MarketResponse(MarketView Market, string TicketId);

/// <summary>
/// Market state and pre-trade limits (SPEC §4a). Every staff role reads them; OPERATOR and ADMIN halt; only ADMIN
/// resumes or changes limits. The rules live in <see cref="MarketService"/>, which the Risk page calls too.
/// </summary>
public static class RiskApi
{
    public static void MapRiskApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/markets").WithTags(ApiTags.Risk);
        g.MapGet("", async (MarketService markets, CancellationToken ct) => TypedResults.Ok(await markets.ListAsync(ct)))
            .WithName("ListMarkets")
            .Documented("List markets", "Each instrument's state (OPEN or HALTED, with the halt's reason) and its pre-trade limits.");
        g.MapPost("/{certificate_type}/halt", (HttpContext http, MarketService markets) =>
                ChangeStateAsync(http, ActionTypes.MarketHalted, HaltMarket.Parse, markets.HaltAsync))
            .Desk(ActionTypes.MarketHalted, EntityTypes.Market).WithName("HaltMarket")
            .AcceptsJson(new ReasonBody("Erroneous prices on the venue"))
            .Documented("Halt a market", "Stops order placement and matching on the instrument (MARKET_HALTED ticket); cancels stay possible. Halting a halted market is a 400.");
        g.MapPost("/{certificate_type}/resume", (HttpContext http, MarketService markets) =>
                ChangeStateAsync(http, ActionTypes.MarketResumed, ResumeMarket.Parse, markets.ResumeAsync))
            .AdminOnly(ActionTypes.MarketResumed, EntityTypes.Market).WithName("ResumeMarket")
            .AcceptsJson(new ReasonBody("Prices checked"))
            .Documented("Resume a market", "Reopens a halted instrument (MARKET_RESUMED ticket). Resuming an open market is a 400.");
        g.MapPut("/{certificate_type}/limits", (HttpContext http, MarketService markets) => AuditedCommand.RunAsync(
                http,
                i => SetRiskLimits.Parse(
                    i.Route("certificate_type"), i.Body.Decimal("price_collar_pct"), i.Body.Decimal("reference_price"),
                    i.Body.Decimal("max_order_quantity"), i.Body.Decimal("max_order_notional")),
                i => SetRiskLimits.Ticket(i.Route("certificate_type"), i.ForAudit()),
                markets.SetLimitsAsync,
                Shape))
            .AdminOnly(ActionTypes.RiskLimitsChanged, EntityTypes.Market).WithName("SetRiskLimits")
            .AcceptsJson(new LimitsBody(10m, 70.00m, 100000, 5000000m))
            .Documented("Set pre-trade limits", "Sets the instrument's price collar (percent around the reference price, which defaults to the last trade), and the largest quantity and notional one order may have (RISK_LIMITS_CHANGED ticket). An order outside them is refused with a 400.");
    }

    public sealed record ReasonBody(string Reason);

    /// <summary>Halt and resume: both take the certificate type from the route and a reason from the body.</summary>
    private static Task<Results<Ok<MarketResponse>, ReplayedResponse, Refusal>> ChangeStateAsync<TCommand>(
        HttpContext http, string actionType, Func<string?, string?, TCommand> parse, Func<TCommand, CancellationToken, Task<Audited<MarketView>>> execute)
        where TCommand : Command =>
        AuditedCommand.RunAsync(
            http,
            i => parse(i.Route("certificate_type"), i.Body.String("reason")),
            i => HaltMarket.Ticket(actionType, i.Route("certificate_type"), i.ForAudit()),
            execute,
            Shape);

    public sealed record LimitsBody(decimal PriceCollarPct, decimal? ReferencePrice, long MaxOrderQuantity, decimal MaxOrderNotional);

    private static MarketResponse Shape(MarketView view, string ticketId) => new(view, ticketId);
}
