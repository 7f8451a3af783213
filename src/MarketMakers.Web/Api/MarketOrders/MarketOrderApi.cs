using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Web.Auth;

namespace MarketMakers.Web.Api.MarketOrders;

/// <summary>Admin market orders: the book replica, Market Maker orders, their list and cancel.</summary>
public static class MarketOrderApi
{
    public static void MapMarketOrderApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/market-orders").WithTags("Market Orders");
        g.MapGet("/orderbook", (OrderQueries queries, string? certificate_type, string? depth, CancellationToken ct) =>
                OrderBookQuery.BookAsync(queries, certificate_type, depth, ct))
            .WithName("AdminOrderBook").Produces<OrderBookView>().Produces<ErrorBody>(422);
        g.MapPost("", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, ParsePlace, RefusedPlace, orders.PlaceMarketMakerOrderAsync, OrderResponse.Of))
            .Desk(ActionTypes.MmOrderPlaced, EntityTypes.Order).WithName("PlaceMarketMakerOrder").AcceptsJson<PlaceMarketMakerOrderBody>();
        g.MapGet("", ListAsync).WithName("ListMarketMakerOrders").Produces<OrderListResponse>().Produces<ErrorBody>(422);
        g.MapDelete("/{order_id}", (HttpContext http, OrderService orders) => AuditedCommand.RunAsync(
                http, i => new CancelMarketMakerOrder(OrderId.Parse(i.Route("order_id"))), i => CancelMarketMakerOrder.Ticket(i.Route("order_id")),
                orders.CancelMarketMakerOrderAsync, (_, ticketId) => new SuccessResponse(true, ticketId)))
            .Desk(ActionTypes.MmOrderCancelled, EntityTypes.Order).WithName("CancelMarketMakerOrder");
        g.MapPost("/cancel-all", (HttpContext http, MassCancelService service) => AuditedCommand.RunAsync(
                http, ParseCancelAll, RefusedCancelAll, service.CancelAllAsync, (result, _) => new CancelAllResponse(result.Cancelled, result.TicketIds)))
            .Desk(ActionTypes.MassCancel, EntityTypes.Market).WithName("CancelAllMarketOrders").AcceptsJson<CancelAllBody>();
    }

    /// <summary>The kill switch's answer: the orders cancelled across instruments and each instrument's MASS_CANCEL ticket.</summary>
    public sealed record CancelAllResponse(int Cancelled, IReadOnlyList<string> TicketIds);

    /// <summary>Every field is optional and narrows the filter; <c>{}</c> pulls every open order of every book.</summary>
    public sealed record CancelAllBody(Guid? MarketMakerId, string? CertificateType, string? Side);

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
    public sealed record PlaceMarketMakerOrderBody(Guid MarketMakerId, string CertificateType, string Side, string OrderType, decimal Price, decimal Quantity);

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

    private static async Task<IResult> ListAsync(
        OrderQueries queries, string? market_maker_id, string? status, string? limit, string? offset, CancellationToken ct)
    {
        Guid? mm = string.IsNullOrWhiteSpace(market_maker_id) ? null : MarketMakerId.Parse(market_maker_id).Value;
        var page = await queries.ListOrdersAsync(mm, Query.Status(status), Query.Page(limit, offset), cancellationToken: ct);
        return Results.Ok(new OrderListResponse(page.Total, page.Items));
    }
}
