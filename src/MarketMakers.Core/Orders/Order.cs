using MarketMakers.Core.Ledger;
using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

/// <summary>Order sides as stored and as the API spells them.</summary>
public static class OrderSides
{
    public const string Buy = "BUY";
    public const string Sell = "SELL";

    public static Side ToEngine(string side) => side == Buy ? Side.Buy : Side.Sell;
}

public static class OrderTypes
{
    public const string Limit = "LIMIT";
}

public static class OrderStatuses
{
    public const string Open = "OPEN";
    public const string PartiallyFilled = "PARTIALLY_FILLED";
    public const string Filled = "FILLED";
    public const string Cancelled = "CANCELLED";

    public static IReadOnlyList<string> All { get; } = [Open, PartiallyFilled, Filled, Cancelled];

    public static bool IsOpen(string status) => status is Open or PartiallyFilled;
}

/// <summary>
/// A limit order that stays until filled or cancelled (SPEC §4). Its lock in the ledger is always
/// what it still holds: remaining quantity (SELL, certificates) or remaining × price (BUY, EUR).
/// </summary>
public sealed class Order
{
    /// <summary>numeric(12,2) allows less; this keeps price × quantity far inside numeric(20,2).</summary>
    public const decimal MaxPrice = 1_000_000m;
    public const long MaxQuantity = 1_000_000_000;

    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid HolderId { get; private set; }

    public string CertificateType { get; private set; } = "";

    public string Side { get; private set; } = "";

    public string OrderType { get; private set; } = OrderTypes.Limit;

    public decimal Price { get; private set; }

    public long Quantity { get; private set; }

    public long FilledQuantity { get; private set; }

    public string Status { get; private set; } = OrderStatuses.Open;

    public Guid? MarketMakerId { get; private set; }

    public string TicketId { get; private set; } = "";

    /// <summary>Time priority, assigned by the database (identity) when the order is inserted.</summary>
    public long Sequence { get; private set; }

    public string? CancelReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public long RemainingQuantity => Quantity - FilledQuantity;

    public bool IsOpen => OrderStatuses.IsOpen(Status);

    public bool IsBuy => Side == OrderSides.Buy;

    /// <summary>The asset an open order keeps locked: EUR for a BUY, the certificate for a SELL.</summary>
    public string LockedAsset => IsBuy ? Assets.Eur : CertificateType;

    /// <summary>What the unfilled rest keeps locked.</summary>
    public decimal RemainingLock => IsBuy ? RemainingQuantity * Price : RemainingQuantity;

    public static Order Place(
        Guid id, Guid holderId, Guid? marketMakerId, string certificateType, string side, decimal price, long quantity, string ticketId, DateTimeOffset now)
    {
        if (!Assets.IsCertificate(certificateType))
        {
            throw DomainException.Validation($"Unknown certificate type '{certificateType}'. Use CEA or EUA.");
        }

        if (side is not (OrderSides.Buy or OrderSides.Sell))
        {
            throw DomainException.Validation($"Unknown side '{side}'. Use BUY or SELL.");
        }

        return new Order
        {
            Id = id,
            HolderId = holderId,
            MarketMakerId = marketMakerId,
            CertificateType = certificateType,
            Side = side,
            OrderType = OrderTypes.Limit,
            Price = ValidPrice(price),
            Quantity = ValidQuantity(quantity),
            FilledQuantity = 0,
            Status = OrderStatuses.Open,
            TicketId = ticketId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Time priority from the value the batch reserved in the database's sequence (ADR 0009).</summary>
    internal void AssignSequence(long sequence) => Sequence = sequence;

    /// <summary>An order as stored, read by the order batch without EF (ADR 0009).</summary>
    internal static Order Load(
        Guid id, Guid holderId, Guid? marketMakerId, string certificateType, string side, string orderType, decimal price, long quantity,
        long filledQuantity, string status, string ticketId, long sequence, string? cancelReason, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new()
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
        Status = FilledQuantity == Quantity ? OrderStatuses.Filled : OrderStatuses.PartiallyFilled;
        UpdatedAt = now;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw DomainException.Rule($"Order {Id} is {Status} and cannot be cancelled.");
        }

        Status = OrderStatuses.Cancelled;
        CancelReason = reason;
        UpdatedAt = now;
    }

    public object Snapshot() => new
    {
        id = Id,
        holder_id = HolderId,
        market_maker_id = MarketMakerId,
        certificate_type = CertificateType,
        side = Side,
        price = Price,
        quantity = Quantity,
        filled_quantity = FilledQuantity,
        status = Status,
        cancel_reason = CancelReason,
    };

    /// <summary>Why a limit price would be refused (positive, on the 0.01 tick, at most <see cref="MaxPrice"/>), or null.</summary>
    public static string? PriceError(decimal? price) => price switch
    {
        null => "A price is required.",
        <= 0 => "The price must be greater than 0.",
        { } p when decimal.Round(p, 2) != p => "The price must be on the 0.01 tick.",
        > MaxPrice => $"The price must not exceed {MaxPrice:0}.",
        _ => null,
    };

    /// <summary>Why a quantity would be refused (whole, positive, at most <see cref="MaxQuantity"/>), or null.</summary>
    public static string? QuantityError(decimal? quantity) => quantity switch
    {
        null => "A quantity is required.",
        <= 0 => "The quantity must be greater than 0.",
        { } q when decimal.Truncate(q) != q => "The quantity must be a whole number of certificates.",
        > MaxQuantity => $"The quantity must not exceed {MaxQuantity}.",
        _ => null,
    };

    public static decimal ValidPrice(decimal? price) =>
        PriceError(price) is { } error ? throw DomainException.Validation(error) : decimal.Round(price!.Value, 2);

    public static long ValidQuantity(decimal? quantity) =>
        QuantityError(quantity) is { } error ? throw DomainException.Validation(error) : (long)quantity!.Value;
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

    public string CertificateType { get; private set; } = "";

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
