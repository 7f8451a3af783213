using System.Text.Json.Serialization;
using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

/// <summary>An order as the API and pages show it (fields plus remaining and cancel_reason).</summary>
public sealed record OrderView(
    Guid Id,
    Guid HolderId,
    Guid? MarketMakerId,
    string CertificateType,
    string Side,
    string OrderType,
    decimal Price,
    long Quantity,
    long FilledQuantity,
    long RemainingQuantity,
    string Status,
    string? CancelReason,
    string TicketId,
    long Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static OrderView From(Order o) =>
        new(o.Id, o.HolderId, o.MarketMakerId, o.CertificateType.Value, o.Side.Value, o.OrderType, o.Price, o.Quantity, o.FilledQuantity,
            o.RemainingQuantity, o.Status.Value, o.CancelReason, o.TicketId, o.Sequence, o.CreatedAt, o.UpdatedAt);
}

/// <summary>A trade as the API and pages show it.</summary>
public sealed record TradeView(
    Guid Id,
    Guid BuyOrderId,
    Guid SellOrderId,
    Guid BuyerHolderId,
    Guid SellerHolderId,
    Guid? MarketMakerId,
    string TicketId,
    string CertificateType,
    decimal Price,
    long Quantity,
    decimal Value,
    DateTimeOffset ExecutedAt)
{
    public static TradeView From(CashMarketTrade t) =>
        new(t.Id, t.BuyOrderId, t.SellOrderId, t.BuyerHolderId, t.SellerHolderId, t.MarketMakerId, t.TicketId, t.CertificateType.Value,
            t.Price, t.Quantity, t.Price * t.Quantity, t.ExecutedAt);
}

/// <summary>The outcome of a placement: the order as stored after matching and the trades it made.</summary>
public sealed record PlacedOrder(OrderView Order, IReadOnlyList<TradeView> Trades);

/// <summary>Order book of one certificate type.</summary>
public sealed record OrderBookView(
    string CertificateType,
    IReadOnlyList<DepthLevel> Bids,
    IReadOnlyList<DepthLevel> Asks,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Spread,
    decimal? MidPrice,
    decimal? LastPrice,
    [property: JsonPropertyName("volume_24h")] long Volume24h,
    DateTimeOffset AsOf,
    string State = Risk.MarketStates.Open,
    string? HaltReason = null)
{
    /// <summary>OPEN or HALTED (SPEC §4a): while HALTED every new order is refused.</summary>
    [JsonIgnore]
    public bool IsHalted => State == Risk.MarketStates.Halted;
}

/// <summary>One row of a ticket's ledger effects (after_state): how an action moved one holder's balance.</summary>
public sealed record LedgerEffect(
    Guid HolderId,
    string Asset,
    string? TransactionType,
    long? TransactionId,
    decimal AvailableChange,
    decimal LockedChange,
    decimal AvailableAfter,
    decimal LockedAfter);
