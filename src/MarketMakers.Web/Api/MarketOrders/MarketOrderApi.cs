using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Api.MarketMaking;

namespace MarketMakers.Web.Api.MarketOrders;

public sealed record OrderResponse(OrderView Order, IReadOnlyList<TradeView> Trades, string TicketId);

public sealed record OrderListResponse(int Total, IReadOnlyList<OrderView> Orders);

public sealed record TradeListResponse(int Total, IReadOnlyList<TradeView> Trades);

/// <summary>SPEC §7 admin market orders: the book replica, MM SELL orders, their list and cancel.</summary>
public static class MarketOrderApi
{
    public static void MapMarketOrderApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/market-orders").WithTags("Market Orders");
        g.MapGet("/orderbook", (OrderQueries queries, string? certificate_type, string? depth, CancellationToken ct) =>
                BookAsync(queries, certificate_type, depth, ct))
            .WithName("AdminOrderBook").Produces<OrderBookView>().Produces<ErrorBody>(422);
        g.MapPost("", PlaceAsync).WithName("PlaceMarketMakerOrder").AcceptsJson<PlaceMarketMakerOrderBody>()
            .Produces<OrderResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(422);
        g.MapGet("", ListAsync).WithName("ListMarketMakerOrders").Produces<OrderListResponse>().Produces<ErrorBody>(422);
        g.MapDelete("/{order_id}", CancelAsync).WithName("CancelMarketMakerOrder")
            .Produces<SuccessResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(422);
    }

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record PlaceMarketMakerOrderBody(Guid MarketMakerId, string CertificateType, string Side, string OrderType, decimal Price, decimal Quantity);

    internal static async Task<IResult> BookAsync(OrderQueries queries, string? certificateType, string? depth, CancellationToken ct)
    {
        var levels = string.IsNullOrWhiteSpace(depth) ? OrderQueries.DefaultDepth
            : int.TryParse(depth, out var d) && d > 0 ? d
            : throw DomainException.Validation("'depth' must be a positive integer.");
        return Results.Ok(await queries.GetBookAsync(certificateType, levels, ct));
    }

    private static async Task<IResult> PlaceAsync(HttpRequest http, OrderService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        string? mmId;
        PlaceOrderRequest request;
        IDisposable? idempotency;
        try
        {
            idempotency = IdempotentCommand.Use<PlacedOrder>(http, raw, OrderShape);
            var body = JsonBody.Parse(raw, http);
            mmId = body.String("market_maker_id");
            request = ParseOrder(body);
        }
        catch (DomainException ex)
        {
            throw await runner.RejectAsync(OrderService.MarketMakerPlaceDraft(JsonBody.PeekString(raw, "market_maker_id"), JsonBody.ForAudit(raw)), ex, ct);
        }

        using (idempotency)
        {
            var result = await service.PlaceMarketMakerOrderAsync(mmId, request, ct);
            return Results.Ok(OrderShape(result.Value, result.TicketId));
        }
    }

    internal static OrderResponse OrderShape(PlacedOrder value, string ticketId) => new(value.Order, value.Trades, ticketId);

    internal static SuccessResponse CancelShape(OrderView value, string ticketId) => new(true, ticketId);

    /// <summary>A cancel has no body: its key is checked here, and a malformed key is a FAILED cancel ticket.</summary>
    internal static async Task<IDisposable?> CancelKeyAsync(HttpRequest http, TicketDraft draft, BusinessActionRunner runner, CancellationToken ct)
    {
        try
        {
            return IdempotentCommand.Use<OrderView>(http, "", CancelShape);
        }
        catch (DomainException ex)
        {
            throw await runner.RejectAsync(draft, ex, ct);
        }
    }

    internal static PlaceOrderRequest ParseOrder(JsonBody body) => new(
        body.String("certificate_type"), body.String("side"), body.String("order_type"), body.Decimal("price"), body.Decimal("quantity"));

    private static async Task<IResult> ListAsync(
        OrderQueries queries, string? market_maker_id, string? status, string? limit, string? offset, CancellationToken ct)
    {
        Guid? mm = string.IsNullOrWhiteSpace(market_maker_id) ? null : MarketMakerService.ParseId(market_maker_id);
        var page = await queries.ListOrdersAsync(mm, status, Query.Page(limit, offset), cancellationToken: ct);
        return Results.Ok(new OrderListResponse(page.Total, page.Items));
    }

    private static async Task<IResult> CancelAsync(
        string order_id, HttpRequest http, OrderService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var draft = new TicketDraft(ActionTypes.MmOrderCancelled, EntityTypes.Order) { EntityId = order_id, Request = new { order_id } };
        using (await CancelKeyAsync(http, draft, runner, ct))
        {
            var result = await service.CancelMarketMakerOrderAsync(order_id, ct);
            return Results.Ok(CancelShape(result.Value, result.TicketId));
        }
    }
}
