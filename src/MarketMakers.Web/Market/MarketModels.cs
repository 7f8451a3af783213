using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;

namespace MarketMakers.Web.Market;

/// <summary>An order as the market pages list it.</summary>
public sealed record OrderRow(
    Guid Id,
    string CertificateType,
    string Side,
    decimal Price,
    decimal Quantity,
    decimal FilledQuantity,
    string Status,
    Guid? MarketMakerId,
    string? HolderName,
    string TicketId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public decimal Remaining => Quantity - FilledQuantity;

    public bool IsCancellable => OrderStatus.Parse(Status).IsOpen;

    public static OrderRow From(OrderView o, string? holderName) =>
        new(o.Id, o.CertificateType, o.Side, o.Price, o.Quantity, o.FilledQuantity, o.Status, o.MarketMakerId, holderName, o.TicketId,
            o.CreatedAt, o.UpdatedAt);
}

/// <summary>A trade as the market pages list it; <see cref="Side"/> is the viewer's side when known.</summary>
public sealed record TradeRow(
    Guid Id,
    string CertificateType,
    string? Side,
    decimal Price,
    decimal Quantity,
    Guid? MarketMakerId,
    string TicketId,
    DateTimeOffset ExecutedAt)
{
    public decimal Value => Price * Quantity;

    /// <summary><paramref name="viewer"/>'s side of the trade, when the viewer is one of its parties.</summary>
    public static TradeRow From(TradeView t, Guid? viewer) =>
        new(t.Id, t.CertificateType, viewer == t.BuyerHolderId ? OrderSide.Buy.Value : viewer == t.SellerHolderId ? OrderSide.Sell.Value : null,
            t.Price, t.Quantity, t.MarketMakerId, t.TicketId, t.ExecutedAt);
}

/// <summary>What a placement did: the order as it stands, its trades, and why any remainder was cancelled.</summary>
public sealed record PlacementResult(string TicketId, OrderRow Order, IReadOnlyList<TradeRow> Trades, string? CancelReason)
{
    public static PlacementResult From(Audited<PlacedOrder> placed)
    {
        var order = placed.Value.Order;
        var reason = order.Status == OrderStatus.Cancelled.Value ? order.CancelReason ?? "the remainder was cancelled" : null;
        return new PlacementResult(
            placed.TicketId, OrderRow.From(order, null), placed.Value.Trades.Select(t => TradeRow.From(t, order.HolderId)).ToList(), reason);
    }
}

/// <summary>A client user with the balances of its entity.</summary>
public sealed record ClientRow(
    Guid UserId,
    Guid? EntityId,
    string Email,
    string FirstName,
    string LastName,
    string EntityName,
    string Role,
    IReadOnlyDictionary<string, BalanceView> Balances,
    DateTimeOffset CreatedAt,
    bool IsActive = true)
{
    public string Name => $"{FirstName} {LastName}".Trim();

    public BalanceView Balance(Asset asset) => Balances.TryGetValue(asset.Value, out var b) ? b : BalanceView.Zero;
}
