using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.MarketOrders;

/// <summary>Admin market orders: the book replica, Market Maker orders, their list and cancel.</summary>
public static class MarketOrderApi
{
    public static void MapMarketOrderApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/market-orders").WithTags(ApiTags.MarketOrders);
        g.MapGet("/orderbook", (OrderQueries queries, string? certificate_type, string? depth, CancellationToken ct) =>
                OrderBookQuery.BookAsync(queries, certificate_type, depth, ct))
            .WithName("AdminOrderBook")
            .Documented("Read the order book (desk)", "Bids and asks aggregated by price level, with best bid and ask, spread, mid, last price, 24 h volume and the market state. `certificate_type` is required.");
        g.MapPost("", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, ParsePlace, RefusedPlace, orders.PlaceMarketMakerOrderAsync, OrderResponse.Of))
            .Desk(ActionTypes.MmOrderPlaced, EntityTypes.Order).WithName("PlaceMarketMakerOrder")
            .AcceptsJson(new PlaceMarketMakerOrderBody(Guid.Parse("6f1c2a9e-3b8d-4c1f-9a7e-2d5b8c0e4f11"), "CEA", "SELL", "LIMIT", 70.00m, 300))
            .Documented("Place a Market Maker order", "A LIMIT order for an active Market Maker (MM_ORDER_PLACED ticket). A SELL locks the certificates, a BUY locks price × quantity EUR. It matches at once against the book (price-time priority, at the resting price); the answer holds the order as it stands and its trades. Prices have 2 decimals (tick 0.01), quantities are whole certificates. An insufficient balance, a halted market or a pre-trade limit is a 400.");
        g.MapGet("", ListAsync).WithName("ListMarketMakerOrders")
            .Documented("List Market Maker orders", "Market Maker orders newest first, optionally of one Market Maker and one status.")
            .Query("status", "Only orders in this status.", "OPEN", "PARTIALLY_FILLED", "FILLED", "CANCELLED");
        g.MapDelete("/{order_id}", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new CancelMarketMakerOrder(OrderId.Parse(i.Route("order_id"))), i => CancelMarketMakerOrder.Ticket(i.Route("order_id")),
                orders.CancelMarketMakerOrderAsync, (_, ticketId) => new SuccessResponse(true, ticketId)))
            .Desk(ActionTypes.MmOrderCancelled, EntityTypes.Order).WithName("CancelMarketMakerOrder")
            .Documented("Cancel a Market Maker order", "Cancels the unfilled rest of an open order and releases what it locked (MM_ORDER_CANCELLED ticket). A filled or cancelled order is a 400.");
        g.MapPost("/cancel-all", (HttpContext http, MassCancelService service) => AuditedCommand.RunAsync(
                http, ParseCancelAll, RefusedCancelAll, service.CancelAllAsync, (result, _) => new CancelAllResponse(result.Cancelled, result.TicketIds)))
            .Desk(ActionTypes.MassCancel, EntityTypes.Market).WithName("CancelAllMarketOrders")
            .AcceptsJson(new CancelAllBody(CertificateType: "CEA"))
            .Documented("Cancel all open orders (kill switch)", "Cancels every open order matching the filter, clients' included, and releases their locks: one MASS_CANCEL ticket per instrument. Every field narrows the filter; `{}` pulls every order of every book.");
    }

    /// <summary>The kill switch's answer: the orders cancelled across instruments and each instrument's MASS_CANCEL ticket.</summary>
    public sealed record CancelAllResponse(int Cancelled, IReadOnlyList<string> TicketIds);

    /// <summary>Every field is optional and narrows the filter; <c>{}</c> pulls every open order of every book.</summary>
    public sealed record CancelAllBody(Guid? MarketMakerId = null, string? CertificateType = null, string? Side = null);

    private static CancelAllOrders ParseCancelAll(CommandInput input)
    {
        var body = input.Body;
        return CancelAllOrders.Parse(body.String("market_maker_id"), body.String("certificate_type"), body.String("side"));
    }

    private static Core.Audit.TicketDraft RefusedCancelAll(CommandInput input) => CancelAllOrders.Ticket(
        CertificateType.TryParse(input.Peek("certificate_type"), out var certificate) ? certificate.Value : null,
        Guid.TryParse(input.Peek("market_maker_id")?.Trim(), out var mm) ? mm : null,
        input.ForAudit());

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record PlaceMarketMakerOrderBody(Guid MarketMakerId, string CertificateType, string Side, string OrderType, decimal Price, long Quantity);

    /// <summary>The id first, then the terms, in the order a user reads the form.</summary>
    private static PlaceMarketMakerOrder ParsePlace(CommandInput input)
    {
        var body = input.Body;
        var mm = MarketMakerId.Parse(body.String("market_maker_id"));
        return PlaceMarketMakerOrder.Create(mm, ParseTerms(body));
    }

    internal static OrderTerms ParseTerms(JsonBody body) => OrderTerms.Parse(
        body.String("certificate_type"), body.String("side"), body.String("order_type"), body.Decimal("price"), body.Decimal("quantity"));

    private static Core.Audit.TicketDraft RefusedPlace(CommandInput input) =>
        PlaceMarketMakerOrder.Ticket(Guid.TryParse(input.Peek("market_maker_id")?.Trim(), out var mm) ? mm : null, input.ForAudit());

    private static async Task<Ok<OrderListResponse>> ListAsync(
        OrderQueries queries, string? market_maker_id, string? status, string? limit, string? offset, CancellationToken ct)
    {
        Guid? mm = string.IsNullOrWhiteSpace(market_maker_id) ? null : MarketMakerId.Parse(market_maker_id).Value;
        var page = await queries.ListOrdersAsync(mm, Query.Status(status), Query.Page(limit, offset), cancellationToken: ct);
        return TypedResults.Ok(new OrderListResponse(page.Total, page.Items));
    }
}
