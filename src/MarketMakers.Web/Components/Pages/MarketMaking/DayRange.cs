using System.Globalization;

namespace MarketMakers.Web.Components.Pages.MarketMaking;

/// <summary>
/// Whole UTC days, both ends inclusive, as the desk picks them: the compliance and performance reads take
/// <see cref="Start"/> and the exclusive <see cref="End"/>, and the export links carry the <c>yyyy-MM-dd</c> texts.
/// </summary>
public sealed record DayRange(DateOnly From, DateOnly To)
{
    public string FromText => From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string ToText => To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The <paramref name="days"/> days up to and including today (UTC).</summary>
    public static DayRange Last(int days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new DayRange(today.AddDays(1 - days), today);
    }

    /// <summary>A deep link's dates, or <paramref name="fallback"/> for a missing or unreadable one.</summary>
    public static DayRange Parse(string? from, string? to, DayRange fallback)
    {
        var lower = DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? f : fallback.From;
        var upper = DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : fallback.To;
        return upper >= lower ? new DayRange(lower, upper) : fallback;
    }
}
