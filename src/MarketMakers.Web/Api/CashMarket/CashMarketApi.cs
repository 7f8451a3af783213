using System.Security.Claims;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Api.MarketOrders;
using MarketMakers.Web.Auth;

namespace MarketMakers.Web.Api.CashMarket;

/// <summary>
/// The cash market: the public book, and for signed-in client users their orders, trades and balances.
/// Trading (place, cancel) needs FUNDED; reads need any cash-market role.
/// </summary>
public static class CashMarketApi
{
    public static void MapCashMarketApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/cash-market").WithTags("Cash Market");
        g.MapGet("/orderbook/{certificate_type}", (OrderQueries queries, string certificate_type, string? depth, CancellationToken ct) =>
                OrderBookQuery.BookAsync(queries, certificate_type, depth, ct))
            .AllowAnonymous().WithName("CashMarketOrderBook").Produces<OrderBookView>().Produces<ErrorBody>(422);
        g.MapPost("/orders", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new PlaceClientOrder(i.User, MarketOrderApi.ParseTerms(i.Body)), i => PlaceClientOrder.Ticket(i.User.Value, i.ForAudit()),
                orders.PlaceClientOrderAsync, OrderResponse.Of))
            .RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("PlaceClientOrder").AcceptsJson<PlaceClientOrderBody>();
        g.MapGet("/orders", ListOrdersAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("ListClientOrders")
            .Produces<OrderListResponse>();
        g.MapDelete("/orders/{id}", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new CancelClientOrder(i.User, OrderId.Parse(i.Route("id"))), i => CancelClientOrder.Ticket(i.User.Value, i.Route("id")),
                orders.CancelClientOrderAsync, (_, ticketId) => new SuccessResponse(true, ticketId)))
            .RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("CancelClientOrder");
        g.MapGet("/trades", ListTradesAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("ListClientTrades")
            .Produces<TradeListResponse>();
        g.MapGet("/balances", BalancesAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("GetClientBalances")
            .Produces<IReadOnlyDictionary<string, BalanceView>>();
    }

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record PlaceClientOrderBody(string CertificateType, string Side, string OrderType, decimal Price, decimal Quantity);

    private static Guid UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");

    private static async Task<IResult> ListOrdersAsync(
        ClaimsPrincipal user, ClientService clients, OrderQueries queries, string? status, string? limit, string? offset, CancellationToken ct)
    {
        var page = Query.Page(limit, offset);
        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return Results.Ok(new OrderListResponse(0, []));
        }

        var orders = await queries.ListHolderOrdersAsync(entity, Query.Status(status), page, ct);
        return Results.Ok(new OrderListResponse(orders.Total, orders.Items));
    }

    /// <summary>The user's own trades; <c>scope=market</c> gives the public tape of the certificate type instead.</summary>
    private static async Task<IResult> ListTradesAsync(
        ClaimsPrincipal user, ClientService clients, OrderQueries queries, string? certificate_type, string? scope, string? limit, string? offset,
        CancellationToken ct)
    {
        var page = Query.Page(limit, offset);
        if (string.Equals(scope, "market", StringComparison.OrdinalIgnoreCase))
        {
            var tape = await queries.ListTradesAsync(Query.Certificate(certificate_type), null, page, cancellationToken: ct);
            return Results.Ok(new TradeListResponse(tape.Total, tape.Items));
        }

        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return Results.Ok(new TradeListResponse(0, []));
        }

        var trades = await queries.ListTradesAsync(Query.Certificate(certificate_type), entity, page, cancellationToken: ct);
        return Results.Ok(new TradeListResponse(trades.Total, trades.Items));
    }

    private static async Task<IResult> BalancesAsync(
        ClaimsPrincipal user, string? as_of, ClientService clients, Core.Statements.StatementService statements, CancellationToken ct) =>
        as_of is not null ? await Statements.StatementApi.ClientBalancesAsOfAsync(user, as_of, statements, ct) : Results.Ok(await clients.BalancesOfUserAsync(UserId(user), ct));
}
