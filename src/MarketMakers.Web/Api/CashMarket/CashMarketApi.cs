using System.Security.Claims;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Api.MarketMaking;
using MarketMakers.Web.Api.MarketOrders;
using MarketMakers.Web.Auth;

namespace MarketMakers.Web.Api.CashMarket;

/// <summary>
/// SPEC §7 cash market: the public book, and for signed-in client users their orders, trades and balances.
/// Trading (place, cancel) needs FUNDED; reads need any cash-market role.
/// </summary>
public static class CashMarketApi
{
    public static void MapCashMarketApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/cash-market").WithTags("Cash Market");
        g.MapGet("/orderbook/{certificate_type}", (OrderQueries queries, string certificate_type, string? depth, CancellationToken ct) =>
                MarketOrderApi.BookAsync(queries, certificate_type, depth, ct))
            .AllowAnonymous().WithName("CashMarketOrderBook").Produces<OrderBookView>().Produces<ErrorBody>(422);
        g.MapPost("/orders", PlaceAsync).RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("PlaceClientOrder")
            .AcceptsJson<PlaceClientOrderBody>()
            .Produces<OrderResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(422);
        g.MapGet("/orders", ListOrdersAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("ListClientOrders")
            .Produces<OrderListResponse>();
        g.MapDelete("/orders/{id}", CancelAsync).RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("CancelClientOrder")
            .Produces<SuccessResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(422);
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

    private static async Task<IResult> PlaceAsync(
        HttpRequest http, ClaimsPrincipal user, OrderService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var userId = UserId(user);
        var raw = await JsonBody.ReadTextAsync(http, ct);
        PlaceOrderRequest request;
        IDisposable? idempotency;
        try
        {
            idempotency = IdempotentCommand.Use<PlacedOrder>(http, raw, MarketOrderApi.OrderShape);
            request = MarketOrderApi.ParseOrder(JsonBody.Parse(raw, http));
        }
        catch (DomainException ex)
        {
            throw await runner.RejectAsync(OrderService.ClientPlaceDraft(userId, JsonBody.ForAudit(raw)), ex, ct);
        }

        using (idempotency)
        {
            var result = await service.PlaceClientOrderAsync(userId, request, ct);
            return Results.Ok(MarketOrderApi.OrderShape(result.Value, result.TicketId));
        }
    }

    private static async Task<IResult> CancelAsync(
        string id, HttpRequest http, ClaimsPrincipal user, OrderService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var userId = UserId(user);
        var draft = new TicketDraft(ActionTypes.OrderCancelled, EntityTypes.Order) { EntityId = id, UserId = userId, Request = new { order_id = id } };
        using (await MarketOrderApi.CancelKeyAsync(http, draft, runner, ct))
        {
            var result = await service.CancelClientOrderAsync(userId, id, ct);
            return Results.Ok(MarketOrderApi.CancelShape(result.Value, result.TicketId));
        }
    }

    private static async Task<IResult> ListOrdersAsync(
        ClaimsPrincipal user, ClientService clients, OrderQueries queries, string? status, string? limit, string? offset, CancellationToken ct)
    {
        var page = Query.Page(limit, offset);
        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return Results.Ok(new OrderListResponse(0, []));
        }

        var orders = await queries.ListHolderOrdersAsync(entity, status, page, ct);
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
            var tape = await queries.ListTradesAsync(certificate_type, null, page, cancellationToken: ct);
            return Results.Ok(new TradeListResponse(tape.Total, tape.Items));
        }

        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return Results.Ok(new TradeListResponse(0, []));
        }

        var trades = await queries.ListTradesAsync(certificate_type, entity, page, cancellationToken: ct);
        return Results.Ok(new TradeListResponse(trades.Total, trades.Items));
    }

    private static async Task<IResult> BalancesAsync(ClaimsPrincipal user, ClientService clients, CancellationToken ct) =>
        Results.Ok(await clients.BalancesOfUserAsync(UserId(user), ct));
}
