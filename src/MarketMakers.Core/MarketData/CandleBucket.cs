namespace MarketMakers.Core.MarketData;

/// <summary>
/// A candle width the price chart offers: 1m, 1h or 1d, always in UTC. <see cref="Unit"/> is PostgreSQL's
/// <c>date_trunc</c> field; <see cref="Step"/> is a fixed length (a UTC day is always 24 hours), so the series of
/// bucket starts never shifts with the session's time zone.
/// </summary>
public sealed record CandleBucket : Code, IParsableCode<CandleBucket>
{
    public static readonly CandleBucket Minute = new("1m", "minute", TimeSpan.FromMinutes(1));
    public static readonly CandleBucket Hour = new("1h", "hour", TimeSpan.FromHours(1));
    public static readonly CandleBucket Day = new("1d", "day", TimeSpan.FromDays(1));

    private CandleBucket(string value, string unit, TimeSpan step)
        : base(value) => (Unit, Step) = (unit, step);

    public static IReadOnlyList<CandleBucket> All { get; } = [Minute, Hour, Day];

    public string Unit { get; }

    public TimeSpan Step { get; }

    /// <summary>The start of the bucket holding <paramref name="at"/>, as <c>date_trunc(unit, at, 'UTC')</c> computes it.</summary>
    public DateTimeOffset StartOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % Step.Ticks, TimeSpan.Zero);

    public static CandleBucket Parse(string? value) =>
        Find(All, value) ?? throw DomainException.Validation($"Unknown bucket '{value}'. Use 1m, 1h or 1d.");

    public static bool TryParse(string? value, out CandleBucket bucket)
    {
        bucket = Find(All, value)!;
        return bucket is not null;
    }
}
