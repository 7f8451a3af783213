using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Risk;

public static class MarketStates
{
    public const string Open = "OPEN";
    public const string Halted = "HALTED";
}

/// <summary>
/// One certificate type's market: its state (OPEN or HALTED) and pre-trade limits. Changed only under that
/// instrument's advisory lock, which every placement batch holds while it reads this row: a halt therefore refuses
/// every order that commits after it, on every instance (SPEC §4a, ADR 0012).
/// </summary>
public sealed class Market
{
    private Market()
    {
    }

    public string CertificateType { get; private set; } = "";

    public string State { get; private set; } = MarketStates.Open;

    public string? Reason { get; private set; }

    public DateTimeOffset? ChangedAt { get; private set; }

    public Guid? ChangedBy { get; private set; }

    public decimal? PriceCollarPct { get; private set; } = RiskLimits.DefaultCollarPct;

    public decimal? ReferencePrice { get; private set; }

    public long MaxOrderQuantity { get; private set; } = RiskLimits.DefaultMaxQuantity;

    public decimal MaxOrderNotional { get; private set; } = RiskLimits.DefaultMaxNotional;

    public bool IsHalted => State == MarketStates.Halted;

    public RiskLimits Limits => new(PriceCollarPct, ReferencePrice, MaxOrderQuantity, MaxOrderNotional);

    public void Halt(string reason, Guid? by, DateTimeOffset now)
    {
        if (IsHalted)
        {
            throw DomainException.Conflict($"The {CertificateType} market is already HALTED ({Reason}).");
        }

        (State, Reason, ChangedBy, ChangedAt) = (MarketStates.Halted, reason, by, now);
    }

    public void Resume(string reason, Guid? by, DateTimeOffset now)
    {
        if (!IsHalted)
        {
            throw DomainException.Conflict($"The {CertificateType} market is already OPEN.");
        }

        (State, Reason, ChangedBy, ChangedAt) = (MarketStates.Open, reason, by, now);
    }

    public void SetLimits(RiskLimits limits) =>
        (PriceCollarPct, ReferencePrice, MaxOrderQuantity, MaxOrderNotional) =
        (limits.PriceCollarPct, limits.ReferencePrice, limits.MaxOrderQuantity, limits.MaxOrderNotional);

    public object Snapshot() => new
    {
        certificate_type = CertificateType,
        state = State,
        reason = Reason,
        limits = LimitsSnapshot(Limits),
    };

    internal static object LimitsSnapshot(RiskLimits l) => new
    {
        price_collar_pct = l.PriceCollarPct,
        reference_price = l.ReferencePrice,
        max_order_quantity = l.MaxOrderQuantity,
        max_order_notional = l.MaxOrderNotional,
    };

    /// <summary>The halt refusal every new order gets (409), with the reason the desk gave.</summary>
    public static DomainException HaltedRefusal(string certificateType, string? reason) =>
        DomainException.Conflict($"The {certificateType} market is HALTED: new orders are refused until it resumes. Reason: {reason}");
}
