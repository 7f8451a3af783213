using MarketMakers.Core.Ledger;
using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

public static class OrderTypes
{
    public const string Limit = "LIMIT";
}

/// <summary>
/// A limit order that stays until filled or cancelled. Its lock in the ledger is always
/// what it still holds: remaining quantity (SELL, certificates) or remaining × price (BUY, EUR).
/// </summary>
public sealed class Order
{
    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid HolderId { get; private set; }

    public CertificateType CertificateType { get; private set; } = null!;

    public OrderSide Side { get; private set; } = null!;

    public string OrderType { get; private set; } = OrderTypes.Limit;

    public decimal Price { get; private set; }

    public long Quantity { get; private set; }

    public long FilledQuantity { get; private set; }

    public OrderStatus Status { get; private set; } = OrderStatus.Open;

    public Guid? MarketMakerId { get; private set; }

    public string TicketId { get; private set; } = "";

    /// <summary>Time priority, assigned by the database (identity) when the order is inserted.</summary>
    public long Sequence { get; private set; }

    public string? CancelReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public long RemainingQuantity => Quantity - FilledQuantity;

    public bool IsOpen => Status.IsOpen;

    public bool IsBuy => Side == OrderSide.Buy;

    /// <summary>The asset an open order keeps locked: EUR for a BUY, the certificate for a SELL.</summary>
    public Asset LockedAsset => IsBuy ? Asset.Eur : CertificateType.Asset;

    /// <summary>What the unfilled rest keeps locked.</summary>
    public decimal RemainingLock => IsBuy ? RemainingQuantity * Price : RemainingQuantity;

    public static Order Place(
        Guid id, Guid holderId, Guid? marketMakerId, CertificateType certificateType, OrderSide side, Price price, Quantity quantity,
        string ticketId, DateTimeOffset now) => new()
    {
        Id = id,
        HolderId = holderId,
        MarketMakerId = marketMakerId,
        CertificateType = certificateType,
        Side = side,
        OrderType = OrderTypes.Limit,
        Price = price.Value,
        Quantity = quantity.Value,
        FilledQuantity = 0,
        Status = OrderStatus.Open,
        TicketId = ticketId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Time priority from the value the batch reserved in the database's sequence (ADR 0009).</summary>
    internal void AssignSequence(long sequence) => Sequence = sequence;

    /// <summary>An order as stored, read by the order batch without EF (ADR 0009).</summary>
    internal static Order Load(
        Guid id, Guid holderId, Guid? marketMakerId, CertificateType certificateType, OrderSide side, string orderType, decimal price, long quantity,
        long filledQuantity, OrderStatus status, string ticketId, long sequence, string? cancelReason, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new()
    {
        Id = id,
        HolderId = holderId,
        MarketMakerId = marketMakerId,
        CertificateType = certificateType,
        Side = side,
        OrderType = orderType,
        Price = price,
        Quantity = quantity,
        FilledQuantity = filledQuantity,
        Status = status,
        TicketId = ticketId,
        Sequence = sequence,
        CancelReason = cancelReason,
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };

    public void Fill(long quantity, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw DomainException.Rule($"Order {Id} is {Status} and cannot fill.");
        }

        if (quantity <= 0 || quantity > RemainingQuantity)
        {
            throw DomainException.Rule($"Order {Id} cannot fill {quantity}: {RemainingQuantity} remain.");
        }

        FilledQuantity += quantity;
        Status = FilledQuantity == Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        UpdatedAt = now;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw DomainException.Rule($"Order {Id} is {Status} and cannot be cancelled.");
        }

        Status = OrderStatus.Cancelled;
        CancelReason = reason;
        UpdatedAt = now;
    }

    public object Snapshot() => new
    {
        id = Id,
        holder_id = HolderId,
        market_maker_id = MarketMakerId,
        certificate_type = CertificateType.Value,
        side = Side.Value,
        price = Price,
        quantity = Quantity,
        filled_quantity = FilledQuantity,
        status = Status.Value,
        cancel_reason = CancelReason,
    };
}

/// <summary>One execution between a buy and a sell order, settled in both ledgers in the same transaction.</summary>
public sealed class CashMarketTrade
{
    private CashMarketTrade()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Execution order (identity), so "newest" and "last price" are exact even within one transaction.</summary>
    public long Sequence { get; private set; }

    public Guid BuyOrderId { get; private set; }

    public Guid SellOrderId { get; private set; }

    public Guid BuyerHolderId { get; private set; }

    public Guid SellerHolderId { get; private set; }

    public Guid? MarketMakerId { get; private set; }

    public string TicketId { get; private set; } = "";

    public CertificateType CertificateType { get; private set; } = null!;

    public decimal Price { get; private set; }

    public long Quantity { get; private set; }

    public DateTimeOffset ExecutedAt { get; private set; }

    internal void AssignSequence(long sequence) => Sequence = sequence;

    public static CashMarketTrade Execute(Guid id, Order buy, Order sell, decimal price, long quantity, string ticketId, DateTimeOffset now)
    {
        if (!buy.IsBuy || sell.IsBuy || buy.CertificateType != sell.CertificateType)
        {
            throw new InvalidOperationException("A trade needs a buy and a sell order of one certificate type.");
        }

        if (buy.HolderId == sell.HolderId)
        {
            throw new InvalidOperationException("A holder cannot trade with itself.");
        }

        if (price > buy.Price || price < sell.Price || quantity <= 0)
        {
            throw new InvalidOperationException($"Trade {quantity} @ {price} does not cross {buy.Price}/{sell.Price}.");
        }

        return new CashMarketTrade
        {
            Id = id,
            BuyOrderId = buy.Id,
            SellOrderId = sell.Id,
            BuyerHolderId = buy.HolderId,
            SellerHolderId = sell.HolderId,
            MarketMakerId = sell.MarketMakerId ?? buy.MarketMakerId,
            TicketId = ticketId,
            CertificateType = buy.CertificateType,
            Price = price,
            Quantity = quantity,
            ExecutedAt = now,
        };
    }
}
