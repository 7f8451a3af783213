namespace MarketMakers.Core.Obligations;

/// <summary>One obligation as <c>GET …/obligations</c> lists it.</summary>
public sealed record ObligationView(
    Guid MarketMakerId,
    string CertificateType,
    decimal MaxSpread,
    long MinQuantity,
    decimal MinPresencePct,
    bool Active,
    DateTimeOffset UpdatedAt)
{
    internal static ObligationView From(Obligation o) =>
        new(o.MarketMakerId, o.CertificateType.Value, o.MaxSpread, o.MinQuantity, o.MinPresencePct, o.Active, o.UpdatedAt);
}

/// <summary>
/// One period of one obligation (SPEC §10). <see cref="AvgSpread"/> is over the two-sided samples only (a one-sided
/// quote has no spread); the average sizes are over every sample, a missing side counting as 0.
/// </summary>
public sealed record ComplianceBucket(
    DateTimeOffset Bucket,
    string CertificateType,
    long Samples,
    long PresentSamples,
    decimal PresencePct,
    decimal? AvgSpread,
    decimal AvgBidQuantity,
    decimal AvgAskQuantity,
    decimal MinPresencePct,
    bool Met);

public sealed record ComplianceReport(IReadOnlyList<ComplianceBucket> Buckets);

/// <summary>One sample as the Compliance tab lists and exports it.</summary>
public sealed record SampleView(
    DateTimeOffset SampledAt,
    string CertificateType,
    bool Present,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Spread,
    long BidQuantity,
    long AskQuantity,
    decimal MaxSpread,
    long MinQuantity);

/// <summary>Today's presence of one MM, over all its active obligations, for the grid's badge.</summary>
public sealed record TodayPresence(long Samples, long PresentSamples, decimal PresencePct, bool Met);

/// <summary>The bucket sizes the compliance report groups by.</summary>
public static class ComplianceBucketSize
{
    public const string Hour = "hour";
    public const string Day = "day";
    public const string Month = "month";

    public static string Parse(string? bucket) => (bucket?.Trim().ToLowerInvariant()) switch
    {
        null or "" => Day,
        Hour => Hour,
        Day => Day,
        Month => Month,
        _ => throw DomainException.Validation($"Unknown bucket '{bucket}'. Use hour, day or month."),
    };
}
