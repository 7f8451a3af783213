using System.Security.Claims;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Api.MarketOrders;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.CashMarket;

/// <summary>
/// The cash market: the public book, and for signed-in client users their orders, trades and balances.
/// Trading (place, cancel) needs FUNDED; reads need any cash-market role.
/// </summary>
public static class CashMarketApi
{
    public static void MapCashMarketApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/cash-market").WithTags(ApiTags.CashMarket);
        g.MapGet("/orderbook/{certificate_type}", (OrderQueries queries, string certificate_type, string? depth, CancellationToken ct) =>
                OrderBookQuery.BookAsync(queries, certificate_type, depth, ct))
            .AllowAnonymous().WithName("CashMarketOrderBook")
            .Documented("Read the public order book", "Bids and asks of one instrument aggregated by price level (price, quantity, order count, cumulative quantity), with best bid and ask, spread, mid, last price, 24 h volume and the market state. No sign-in needed.");
        g.MapPost("/orders", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new PlaceClientOrder(i.User, MarketOrderApi.ParseTerms(i.Body)), i => PlaceClientOrder.Ticket(i.User.Value, i.ForAudit()),
                orders.PlaceClientOrderAsync, OrderResponse.Of))
            .RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("PlaceClientOrder")
            .AcceptsJson(new PlaceClientOrderBody("CEA", "BUY", "LIMIT", 71.00m, 200))
            .Documented("Place an order", "A LIMIT order of the signed-in client (ORDER_PLACED ticket). A BUY locks price × quantity EUR, a SELL the certificates. It matches at once (price-time priority, at the resting price; a cheaper fill returns the difference); the answer holds the order as it stands and its trades. An order never fills against the same holder: its remainder is cancelled with a `cancel_reason`. An insufficient balance, a halted market or a pre-trade limit is a 400.");
        g.MapGet("/orders", ListOrdersAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("ListClientOrders")
            .Documented("List my orders", "The signed-in client's orders, newest first, optionally of one status.")
            .Query("status", "Only orders in this status.", "OPEN", "PARTIALLY_FILLED", "FILLED", "CANCELLED");
        g.MapDelete("/orders/{id}", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new CancelClientOrder(i.User, OrderId.Parse(i.Route("id"))), i => CancelClientOrder.Ticket(i.User.Value, i.Route("id")),
                orders.CancelClientOrderAsync, (_, ticketId) => new SuccessResponse(true, ticketId)))
            .RequireAuthorization(AuthSetup.ApiTraderPolicy).WithName("CancelClientOrder")
            .Documented("Cancel my order", "Cancels the unfilled rest of one of the signed-in client's open orders and releases what it locked (ORDER_CANCELLED ticket). Someone else's order is a 404.");
        g.MapGet("/trades", ListTradesAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("ListClientTrades")
            .Documented("List my trades", "The signed-in client's trades, newest first; `scope=market` gives the public tape of every trade instead.")
            .Query("scope", "`mine` (default) for the client's own trades, `market` for the public tape.", "mine", "market");
        g.MapGet("/balances", BalancesAsync).RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy).WithName("GetClientBalances")
            .Documented("Get my balances", "The signed-in client's available, locked and total per asset (CEA, EUA, EUR). With `as_of`, the balances as they stood at that instant.")
            .Query("as_of", "An ISO 8601 instant: the balances as they stood then.", ParameterKind.DateTime);
    }

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record PlaceClientOrderBody(string CertificateType, string Side, string OrderType, decimal Price, long Quantity);

    private static Guid UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");

    private static async Task<Ok<OrderListResponse>> ListOrdersAsync(
        ClaimsPrincipal user, ClientService clients, OrderQueries queries, string? status, string? limit, string? offset, CancellationToken ct)
    {
        var page = Query.Page(limit, offset);
        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return TypedResults.Ok(new OrderListResponse(0, []));
        }

        var orders = await queries.ListHolderOrdersAsync(entity, Query.Status(status), page, ct);
        return TypedResults.Ok(new OrderListResponse(orders.Total, orders.Items));
    }

    /// <summary>The user's own trades; <c>scope=market</c> gives the public tape of the certificate type instead.</summary>
    private static async Task<Ok<TradeListResponse>> ListTradesAsync(
        ClaimsPrincipal user, ClientService clients, OrderQueries queries, string? certificate_type, string? scope, string? limit, string? offset,
        CancellationToken ct)
    {
        var page = Query.Page(limit, offset);
        if (string.Equals(scope, "market", StringComparison.OrdinalIgnoreCase))
        {
            var tape = await queries.ListTradesAsync(Query.Certificate(certificate_type), null, page, cancellationToken: ct);
            return TypedResults.Ok(new TradeListResponse(tape.Total, tape.Items));
        }

        if (await clients.EntityOfAsync(UserId(user), ct) is not { } entity)
        {
            return TypedResults.Ok(new TradeListResponse(0, []));
        }

        var trades = await queries.ListTradesAsync(Query.Certificate(certificate_type), entity, page, cancellationToken: ct);
        return TypedResults.Ok(new TradeListResponse(trades.Total, trades.Items));
    }

    private static async Task<Ok<IReadOnlyDictionary<string, BalanceView>>> BalancesAsync(
        ClaimsPrincipal user, string? as_of, ClientService clients, Core.Statements.StatementService statements, CancellationToken ct) =>
        as_of is not null ? await Statements.StatementApi.ClientBalancesAsOfAsync(user, as_of, statements, ct) : TypedResults.Ok(await clients.BalancesOfUserAsync(UserId(user), ct));
}
