using MarketMakers.Core.Audit;

namespace MarketMakers.Bench;

// The baseline's in-memory rows: plain fields, no domain classes, just what the statements and tickets need.

/// <summary>A balance row the batch locked; written back only if it changed.</summary>
internal sealed class RawBalance(decimal available, decimal locked)
{
    public readonly record struct View(decimal Available, decimal Locked);

    private readonly View _loaded = new(available, locked);

    public decimal Available { get; set; } = available;

    public decimal Locked { get; set; } = locked;

    public DateTimeOffset UpdatedAt { get; set; }

    public View Now => new(Available, Locked);

    public bool Changed => Now != _loaded;
}

/// <summary>An order: new in this batch, or resting and read by the candidate query.</summary>
internal sealed class RawOrder
{
    public required Guid Id { get; init; }

    public required Guid HolderId { get; init; }

    public Guid? MarketMakerId { get; init; }

    public required bool Buy { get; init; }

    public required decimal Price { get; init; }

    public required long Quantity { get; init; }

    public long Filled { get; set; }

    public string Status { get; set; } = "OPEN";

    public required string TicketId { get; init; }

    /// <summary>For a new order: the value reserved for it in the batch's first round trip (see <see cref="MarketMakers.Core.Orders.ReservedIds"/>).</summary>
    public long Sequence { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>For a resting order: as read, to tell whether the batch filled it.</summary>
    public (long Filled, string Status) Loaded { get; init; }

    public long Remaining => Quantity - Filled;

    public string Side => Buy ? "BUY" : "SELL";

    public void Fill(long quantity, DateTimeOffset now)
    {
        Filled += quantity;
        Status = Filled == Quantity ? "FILLED" : "PARTIALLY_FILLED";
        UpdatedAt = now;
    }
}

/// <summary>A ledger row; its id is reserved in the batch's first round trip, so the tickets can name it before the insert.</summary>
internal sealed record RawLedger(
    string TicketId, Guid HolderId, string Asset, string Type, decimal Amount, decimal BalanceAfter, string Notes, Guid CreatedBy, DateTimeOffset At)
{
    public long Id { get; set; }
}

/// <summary>How an action moved one balance, for a ticket's after_state; <see cref="Row"/> is null when no ledger row was written.</summary>
internal sealed record RawEffect(
    Guid HolderId, string Asset, RawLedger? Row, decimal AvailableChange, decimal LockedChange, decimal AvailableAfter, decimal LockedAfter);

/// <summary>One fill: the trade row, its TRADE_EXECUTED ticket, and the order states around it.</summary>
internal sealed class RawTrade
{
    public required Guid Id { get; init; }

    public required RawOrder BuyOrder { get; init; }

    public required RawOrder SellOrder { get; init; }

    public required bool IncomingIsBuy { get; init; }

    public required TicketNumber Ticket { get; init; }

    public required decimal Price { get; init; }

    public required long Quantity { get; init; }

    public required DateTimeOffset ExecutedAt { get; init; }

    public required (long Filled, string Status) BuyBefore { get; init; }

    public required (long Filled, string Status) SellBefore { get; init; }

    public (long Filled, string Status) BuyAfter { get; set; }

    public (long Filled, string Status) SellAfter { get; set; }

    public List<RawEffect> Effects { get; } = [];

    /// <summary>Tape order: reserved in the batch's first round trip, set in creation order.</summary>
    public long Sequence { get; set; }

    public Guid? MarketMakerId => SellOrder.MarketMakerId ?? BuyOrder.MarketMakerId;
}
