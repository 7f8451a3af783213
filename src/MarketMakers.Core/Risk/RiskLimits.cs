using System.Globalization;

namespace MarketMakers.Core.Risk;

/// <summary>
/// The pre-trade limits of one certificate type (SPEC §4a). Pure: the order batch applies them in memory to every
/// order, with the reference the batch holds at that order's turn, so a limit costs no database round trip per order.
/// A value exactly at a limit passes.
/// </summary>
/// <remarks>A null <see cref="PriceCollarPct"/> means no collar: only a deployment's start-up configuration can ask for
/// that (<c>Risk:InitialLimits:PriceCollarPct=none</c>, e.g. test hosts); a PUT of the limits always sets one.</remarks>
public sealed record RiskLimits(decimal? PriceCollarPct, decimal? ReferencePrice, long MaxOrderQuantity, decimal MaxOrderNotional)
{
    public const decimal DefaultCollarPct = 10m;
    public const long DefaultMaxQuantity = 100_000;
    public const decimal DefaultMaxNotional = 10_000_000m;

    public static RiskLimits Defaults { get; } = new(DefaultCollarPct, null, DefaultMaxQuantity, DefaultMaxNotional);

    /// <summary>Parses a limits change; every field is required except the reference price.</summary>
    public static RiskLimits Parse(decimal? collarPct, decimal? referencePrice, decimal? maxQuantity, decimal? maxNotional) =>
        Parse(collarPct, referencePrice, maxQuantity, maxNotional, collarRequired: true);

    internal static RiskLimits Parse(decimal? collarPct, decimal? referencePrice, decimal? maxQuantity, decimal? maxNotional, bool collarRequired)
    {
        if (collarPct is null && !collarRequired)
        {
            return Parse(100m, referencePrice, maxQuantity, maxNotional) with { PriceCollarPct = null };
        }

        if (collarPct is not { } pct || pct <= 0 || pct > 100 || decimal.Round(pct, 2) != pct)
        {
            throw DomainException.Validation("price_collar_pct must be greater than 0 and at most 100, with at most 2 decimals.");
        }

        Price? reference = referencePrice is null ? null : Price.Parse(referencePrice);
        if (maxQuantity is not { } quantity || Quantity.Error(quantity) is not null)
        {
            throw DomainException.Validation($"max_order_quantity must be a whole number from 1 to {Quantity.Max}.");
        }

        if (maxNotional is not { } notional || notional <= 0 || decimal.Round(notional, 2) != notional || notional > 1_000_000_000_000m)
        {
            throw DomainException.Validation("max_order_notional must be greater than 0 EUR, on the cent, and at most 1,000,000,000,000.00.");
        }

        return new RiskLimits(pct, reference?.Value, (long)quantity, notional);
    }

    /// <summary>The collar's reference: the last trade price once there is one, before that the configured reference.</summary>
    public decimal? Reference(decimal? lastPrice) => lastPrice ?? ReferencePrice;

    /// <summary>The prices the collar allows on the 0.01 tick, or null when there is no reference (no collar).</summary>
    public (decimal Low, decimal High)? Collar(decimal? lastPrice)
    {
        if (Reference(lastPrice) is not { } reference || PriceCollarPct is not { } pct)
        {
            return null;
        }

        var band = reference * pct / 100m;
        // Rounded inwards: a price exactly at the edge passes, one tick beyond it does not.
        return (Math.Ceiling((reference - band) * 100m) / 100m, Math.Floor((reference + band) * 100m) / 100m);
    }

    /// <summary>Why an order with these terms breaks a limit (a 422 that names the limit, the range and the value), or null.</summary>
    public string? Violation(decimal price, long quantity, decimal? lastPrice)
    {
        if (quantity > MaxOrderQuantity)
        {
            return F($"Order quantity {quantity} exceeds max_order_quantity: allowed 1 to {MaxOrderQuantity}.");
        }

        var notional = price * quantity;
        if (notional > MaxOrderNotional)
        {
            return F($"Order notional {notional:0.00} EUR ({quantity} × {price:0.00}) exceeds max_order_notional: allowed up to {MaxOrderNotional:0.00} EUR.");
        }

        if (Collar(lastPrice) is var (low, high) && (price < low || price > high))
        {
            var basis = lastPrice is null ? "the reference price" : "the last trade price";
            return F($"Price {price:0.00} is outside the price collar: allowed {low:0.00} to {high:0.00} (±{PriceCollarPct:0.##} % of {basis} {Reference(lastPrice):0.00}).");
        }

        return null;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
