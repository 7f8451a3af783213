namespace MarketMakers.Core.Risk;

/// <summary>One market as <c>GET /api/v1/admin/markets</c> lists it (SPEC §4a).</summary>
public sealed record MarketView(
    string CertificateType,
    string State,
    string? Reason,
    DateTimeOffset? ChangedAt,
    decimal? ReferencePrice,
    decimal? LastPrice,
    MarketLimitsView Limits)
{
    public bool IsHalted => State == MarketStates.Halted;

    internal static MarketView From(Market m, decimal? lastPrice) =>
        new(m.CertificateType, m.State, m.Reason, m.ChangedAt, m.ReferencePrice, lastPrice, MarketLimitsView.From(m.Limits));
}

public sealed record MarketLimitsView(decimal? PriceCollarPct, decimal? ReferencePrice, long MaxOrderQuantity, decimal MaxOrderNotional)
{
    internal static MarketLimitsView From(RiskLimits l) => new(l.PriceCollarPct, l.ReferencePrice, l.MaxOrderQuantity, l.MaxOrderNotional);
}
