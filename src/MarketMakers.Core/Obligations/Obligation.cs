namespace MarketMakers.Core.Obligations;

/// <summary>
/// The quoting terms a Market Maker owes on one instrument (SPEC §10): two-sided, no wider than
/// <see cref="MaxSpread"/>, at least <see cref="MinQuantity"/> on each side, for at least
/// <see cref="MinPresencePct"/> of the samples in a period. One row per MM and instrument, changed only through
/// OBLIGATION_CHANGED; the sampler reads the active rows.
/// </summary>
public sealed class Obligation
{
    private Obligation()
    {
    }

    public Guid MarketMakerId { get; private set; }

    public CertificateType CertificateType { get; private set; } = null!;

    public decimal MaxSpread { get; private set; }

    public long MinQuantity { get; private set; }

    public decimal MinPresencePct { get; private set; }

    public bool Active { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public Guid? UpdatedBy { get; private set; }

    public static Obligation Create(MarketMakerId marketMaker, CertificateType certificate, ObligationTerms terms, Guid? by, DateTimeOffset now)
    {
        var obligation = new Obligation { MarketMakerId = marketMaker.Value, CertificateType = certificate };
        obligation.Set(terms, by, now);
        return obligation;
    }

    public void Set(ObligationTerms terms, Guid? by, DateTimeOffset now) =>
        (MaxSpread, MinQuantity, MinPresencePct, Active, UpdatedBy, UpdatedAt) =
        (terms.MaxSpread, terms.MinQuantity, terms.MinPresencePct, terms.Active, by, now);

    public ObligationTerms Terms => new(MaxSpread, MinQuantity, MinPresencePct, Active);

    public object Snapshot() => new
    {
        market_maker_id = MarketMakerId,
        certificate_type = CertificateType.Value,
        max_spread = MaxSpread,
        min_quantity = MinQuantity,
        min_presence_pct = MinPresencePct,
        active = Active,
    };
}

/// <summary>The terms of one obligation, parsed once at the boundary.</summary>
public sealed record ObligationTerms(decimal MaxSpread, long MinQuantity, decimal MinPresencePct, bool Active)
{
    /// <summary>Why these values are not valid terms, or null; forms pre-check with the same words.</summary>
    public static string? Error(decimal? maxSpread, decimal? minQuantity, decimal? minPresencePct)
    {
        if (maxSpread is not { } spread || spread <= 0 || decimal.Round(spread, 2) != spread || spread > Price.Max)
        {
            return $"max_spread must be greater than 0 EUR, on the 0.01 tick, and at most {Price.Max:0}.";
        }

        if (minQuantity is not { } quantity || quantity < 1 || decimal.Truncate(quantity) != quantity || quantity > Quantity.Max)
        {
            return $"min_quantity must be a whole number of certificates from 1 to {Quantity.Max}.";
        }

        if (minPresencePct is not { } pct || pct <= 0 || pct > 100 || decimal.Round(pct, 2) != pct)
        {
            return "min_presence_pct must be greater than 0 and at most 100, with at most 2 decimals.";
        }

        return null;
    }

    /// <summary>Parses a change; <c>active</c> defaults to true (an obligation is set to be monitored).</summary>
    public static ObligationTerms Parse(decimal? maxSpread, decimal? minQuantity, decimal? minPresencePct, bool? active) =>
        Error(maxSpread, minQuantity, minPresencePct) is { } error
            ? throw DomainException.Validation(error)
            : new ObligationTerms(maxSpread!.Value, (long)minQuantity!.Value, minPresencePct!.Value, active ?? true);
}

/// <summary>
/// One observation of one obligation (append-only): what the MM's own best bid and ask were at
/// <see cref="SampledAt"/>, the size it showed at each, and whether that met the terms then in force (kept on the row,
/// so a later change of terms never rewrites history).
/// </summary>
public sealed class ObligationSample
{
    private ObligationSample()
    {
    }

    public Guid MarketMakerId { get; private set; }

    public CertificateType CertificateType { get; private set; } = null!;

    public DateTimeOffset SampledAt { get; private set; }

    public bool Present { get; private set; }

    public decimal? BestBid { get; private set; }

    public decimal? BestAsk { get; private set; }

    public decimal? Spread { get; private set; }

    public long BidQuantity { get; private set; }

    public long AskQuantity { get; private set; }

    public decimal MaxSpread { get; private set; }

    public long MinQuantity { get; private set; }
}
