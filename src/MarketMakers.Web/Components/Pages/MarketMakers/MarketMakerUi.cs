using System.Globalization;
using global::MarketMakers.Core;
using global::MarketMakers.Core.Ledger;
using MudBlazor;

namespace MarketMakers.Web.Components.Pages.MarketMakers;

/// <summary>
/// Formatting, feedback and friendly pre-validation shared by the Market Makers components. The service stays the
/// authority: these checks only spare the user a round trip (and a FAILED ticket) for obviously bad input.
/// </summary>
public static class MarketMakerUi
{
    public static CultureInfo Culture { get; } = CultureInfo.InvariantCulture;

    /// <summary>Whole certificates without decimals, EUR with two.</summary>
    public static string Amount(string asset, decimal value) =>
        Assets.IsCertificate(asset) ? value.ToString("#,0", Culture) : value.ToString("#,0.00", Culture);

    public static string Money(string asset, decimal value) =>
        asset == Assets.Eur ? "€ " + Amount(asset, value) : Amount(asset, value) + " " + asset;

    public static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Culture);

    public static string ShortDate(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Culture);

    /// <summary>Why an amount would be refused, or null. <paramref name="optional"/> lets an empty or 0 initial balance pass.</summary>
    public static string? AmountError(string asset, decimal? amount, bool optional = false)
    {
        if (amount is null)
        {
            return optional ? null : "An amount is required.";
        }

        if (optional && amount == 0)
        {
            return null;
        }

        if (amount <= 0)
        {
            return "The amount must be greater than 0.";
        }

        if (amount > Assets.MaxAmount)
        {
            return $"The amount must not exceed {Assets.MaxAmount.ToString("#,0", Culture)}.";
        }

        if (decimal.Round(amount.Value, 2) != amount)
        {
            return "The amount may have at most 2 decimals.";
        }

        return Assets.IsCertificate(asset) && decimal.Truncate(amount.Value) != amount
            ? $"{asset} amounts must be whole certificates."
            : null;
    }

    /// <summary>"Deposit recorded · TKT-2026-000123".</summary>
    public static void Success(this ISnackbar snackbar, string what, string ticketId) =>
        snackbar.Add($"{what} · {ticketId}", Severity.Success);

    /// <summary>The refusal's message and its FAILED ticket id.</summary>
    public static void Failure(this ISnackbar snackbar, DomainException ex) =>
        snackbar.Add(FailureText(ex), Severity.Error, o => o.VisibleStateDuration = 15000);

    public static string FailureText(DomainException ex) =>
        ex.TicketId is { Length: > 0 } ticket ? $"{ex.Message} · FAILED {ticket}" : ex.Message;
}
