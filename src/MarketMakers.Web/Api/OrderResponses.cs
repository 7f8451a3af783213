using MarketMakers.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api;

/// <summary>A placement's answer: the order as it stands after matching, its trades and its ticket.</summary>
public sealed record OrderResponse(OrderView Order, IReadOnlyList<TradeView> Trades, string TicketId)
{
    public static OrderResponse Of(PlacedOrder placed, string ticketId) => new(placed.Order, placed.Trades, ticketId);
}

public sealed record OrderListResponse(int Total, IReadOnlyList<OrderView> Orders);

public sealed record TradeListResponse(int Total, IReadOnlyList<TradeView> Trades);

/// <summary>The order book read, shared by the admin replica and the public cash-market endpoint.</summary>
public static class OrderBookQuery
{
    public static async Task<Ok<OrderBookView>> BookAsync(OrderQueries queries, string? certificateType, string? depth, CancellationToken ct) =>
        TypedResults.Ok(await queries.GetBookAsync(CertificateType.Parse(certificateType), Query.Depth(depth, OrderQueries.DefaultDepth), ct));
}
