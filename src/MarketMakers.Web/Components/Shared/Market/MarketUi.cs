using System.Globalization;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Web.Market;
using MudBlazor;

namespace MarketMakers.Web.Components.Shared.Market;

/// <summary>
/// Formatting, feedback and friendly pre-validation shared by the market pages. The order service stays the
/// authority: these checks only spare the user a round trip (and a FAILED ticket) for obviously bad input.
/// </summary>
public static class MarketUi
{
    public const decimal Tick = 0.01m;

    public static CultureInfo Culture { get; } = CultureInfo.InvariantCulture;

    /// <summary>What a live book shows before its first load.</summary>
    public static OrderBookView EmptyBook(string certificateType) =>
        new(certificateType, [], [], null, null, null, null, null, 0, DateTimeOffset.MinValue);

    public static string Price(decimal? value) => value is { } v ? v.ToString("#,0.00", Culture) : "—";

    public static string Quantity(decimal? value) => value is { } v ? v.ToString("#,0", Culture) : "—";

    public static string Eur(decimal? value) => value is { } v ? "€ " + v.ToString("#,0.00", Culture) : "—";

    /// <summary>The certificate types' codes, in the order the books' tabs and toggles show them.</summary>
    public static IReadOnlyList<string> CertificateCodes { get; } = CertificateType.All.Select(c => c.Value).ToList();

    /// <summary>Whole certificates without decimals, EUR with two.</summary>
    public static string Amount(Asset asset, decimal value) =>
        asset.IsCertificate ? value.ToString("#,0", Culture) : value.ToString("#,0.00", Culture);

    /// <summary>As <see cref="Amount(Asset, decimal)"/>, for the asset code a view carries.</summary>
    public static string Amount(string asset, decimal value) => Amount(Asset.Parse(asset), value);

    public static string Money(Asset asset, decimal value) =>
        asset == Asset.Eur ? "€ " + Amount(asset, value) : Amount(asset, value) + " " + asset;

    /// <summary>As <see cref="Money(Asset, decimal)"/>, for the asset code a view carries.</summary>
    public static string Money(string asset, decimal value) => Money(Asset.Parse(asset), value);

    public static string ShortTime(DateTimeOffset value) => value.ToUniversalTime().ToString("HH:mm:ss", Culture);

    /// <summary>Month, day and time: what a table row needs.</summary>
    public static string TableTime(DateTimeOffset value) => value.ToUniversalTime().ToString("MM-dd HH:mm:ss", Culture);

    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", Culture);

    /// <summary>Why a limit price would be refused, in the order service's own words, or null.</summary>
    public static string? PriceError(decimal? price) => Core.Values.Price.Error(price);

    /// <summary>Why a quantity would be refused, or null; <paramref name="max"/> is what the seller holds.</summary>
    public static string? QuantityError(decimal? quantity, decimal? max = null, string? asset = null) =>
        Core.Values.Quantity.Error(quantity)
        ?? (max is { } m && quantity > m ? $"Exceeds the available balance of {Quantity(m)} {asset}".TrimEnd() + "." : null);

    /// <summary>The collar's allowed range now (around the last trade, else the reference), or null when no collar applies.</summary>
    public static (decimal Low, decimal High)? Collar(MarketView market)
    {
        var l = market.Limits;
        return new RiskLimits(l.PriceCollarPct, l.ReferencePrice, l.MaxOrderQuantity, l.MaxOrderNotional).Collar(market.LastPrice);
    }

    /// <summary>"Price 90.00 – 110.00 · at most 100,000 CEA and € 10,000,000.00 per order".</summary>
    public static string LimitsText(MarketView market) =>
        (Collar(market) is var (low, high) ? $"Price {Price(low)} – {Price(high)} · " : "No price collar · ")
        + $"at most {Quantity(market.Limits.MaxOrderQuantity)} {market.CertificateType} and {Eur(market.Limits.MaxOrderNotional)} per order";

    public static Color SideColor(string side) => side == "BUY" ? Color.Success : Color.Error;

    public static Color StatusColor(string status) => status switch
    {
        "OPEN" => Color.Info,
        "PARTIALLY_FILLED" => Color.Warning,
        "FILLED" => Color.Success,
        _ => Color.Default,
    };

    public static string StatusText(string status) => status switch
    {
        "PARTIALLY_FILLED" => "Partially filled",
        "OPEN" => "Open",
        "FILLED" => "Filled",
        "CANCELLED" => "Cancelled",
        _ => status,
    };

    /// <summary>"Order placed · TKT-2026-000123".</summary>
    public static void Success(this ISnackbar snackbar, string what, string ticketId) =>
        snackbar.Add($"{what} · {ticketId}", Severity.Success);

    /// <summary>"SELL 10 CEA @ 70.00 placed · TKT-… · Open", or how much did not rest and why.</summary>
    public static string PlacementText(string what, PlacementResult placed, string filled = "") =>
        placed.CancelReason is { } reason
            ? $"{what} · {placed.TicketId}{filled} · {Quantity(placed.Order.Quantity - placed.Order.FilledQuantity)} not rested. {reason}"
            : $"{what} · {placed.TicketId}{filled} · {StatusText(placed.Order.Status)}";

    /// <summary>The placement's ticket, and a lasting warning when the remainder was cancelled (e.g. self-trade prevention).</summary>
    public static void Placed(this ISnackbar snackbar, string what, PlacementResult placed)
    {
        snackbar.Success(what, placed.TicketId);
        if (placed.CancelReason is { } cancelled)
        {
            snackbar.Add(cancelled, Severity.Warning, o => o.VisibleStateDuration = 15000);
        }
    }

    /// <summary>The refusal's message and its FAILED ticket id.</summary>
    public static void Failure(this ISnackbar snackbar, DomainException ex) =>
        snackbar.Add(FailureText(ex), Severity.Error, o => o.VisibleStateDuration = 15000);

    public static string FailureText(DomainException ex) => CommandForm.FailureText(ex);
}
