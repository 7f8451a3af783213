using System.Globalization;

namespace MarketMakers.Core.Matching;

/// <summary>What the user is told when prevention cancels an order's remainder (SPEC §4, §4b).</summary>
public static class CancelMessages
{
    /// <summary>Who the order would have traded with, when the caller knows no name.</summary>
    public const string SameOwnerGroup = "a Market Maker of the same owner group";

    public static string Prevented(CancelReason reason, decimal price, string? counterparty = null) => reason switch
    {
        CancelReason.WashTradePrevention => string.Create(CultureInfo.InvariantCulture,
            $"Remainder cancelled: it would have traded with {counterparty ?? SameOwnerGroup} at {price:0.00} (wash-trade prevention)"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"Remainder cancelled: it would have traded against your own resting order at {price:0.00}"),
    };
}
