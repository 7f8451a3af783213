using System.Globalization;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MudBlazor;

namespace MarketMakers.Web.Components.Pages.MarketMaking;

/// <summary>
/// Formatting, feedback and friendly pre-validation shared by the Market Makers components. The service stays the
/// authority: these checks only spare the user a round trip (and a FAILED ticket) for obviously bad input.
/// </summary>
public static class MarketMakerUi
{
    public static CultureInfo Culture { get; } = CultureInfo.InvariantCulture;

    public static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Culture);

    public static string ShortDate(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Culture);

    /// <summary>A percentage as the desk reads it: 66.67, 50, 100.</summary>
    public static string Pct(decimal value) => value.ToString("0.##", Culture);

    /// <summary>A compliance bucket's start as its size reads (UTC).</summary>
    public static string Bucket(DateTimeOffset start, string size) => start.ToUniversalTime().ToString(size switch
    {
        "hour" => "yyyy-MM-dd HH:00",
        "month" => "yyyy-MM",
        _ => "yyyy-MM-dd",
    }, Culture);

    /// <summary>
    /// Why an amount would be refused, in the ledger's own words, or null. <paramref name="optional"/> lets an empty or
    /// 0 initial balance pass.
    /// </summary>
    public static string? AmountError(Asset asset, decimal? amount, bool optional = false) =>
        optional && amount is null or 0 ? null : Core.Values.Amount.Error(asset, amount);
}
