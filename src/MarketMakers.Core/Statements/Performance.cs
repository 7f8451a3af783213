namespace MarketMakers.Core.Statements;

/// <summary>One fill of a Market Maker, as the performance figures read it: its side, price and quantity, in trade order.</summary>
public sealed record MakerFill(bool Bought, decimal Price, long Quantity);

/// <summary>A Market Maker's trading on one instrument over a period (SPEC §10), by the average-cost method.</summary>
public sealed record PerformanceView(
    long BoughtQuantity,
    long SoldQuantity,
    decimal BuyValue,
    decimal SellValue,
    int Trades,
    decimal? FillRatio,
    long NetPosition,
    decimal? AverageCost,
    decimal RealizedPnl,
    decimal? UnrealizedPnl,
    decimal? LastPrice);

/// <summary>
/// The average-cost method, pure: the position starts flat at the period's start. A fill that adds to the position
/// (or opens it) moves the average cost to the quantity-weighted mean; a fill against the position realizes
/// (price − average cost) per unit for a long, (average cost − price) for a short, and leaves the average cost as it
/// was; a fill larger than the position closes it and opens the rest on the other side at the fill's price.
/// Unrealized P&L is the open position valued at the last trade price against the average cost.
/// </summary>
public static class PerformanceCalculator
{
    public static PerformanceView Compute(IReadOnlyList<MakerFill> fills, long placedQuantity, long filledQuantity, decimal? lastPrice)
    {
        long position = 0;
        decimal cost = 0m, realized = 0m;
        foreach (var fill in fills)
        {
            var signed = fill.Bought ? fill.Quantity : -fill.Quantity;
            if (position == 0 || Math.Sign(position) == Math.Sign(signed))
            {
                cost = (Math.Abs(position) * cost + fill.Quantity * fill.Price) / (Math.Abs(position) + fill.Quantity);
                position += signed;
                continue;
            }

            var closed = Math.Min(Math.Abs(position), fill.Quantity);
            realized += closed * (position > 0 ? fill.Price - cost : cost - fill.Price);
            position += signed;
            if (position != 0 && Math.Sign(position) == Math.Sign(signed))
            {
                cost = fill.Price; // flipped: the rest opened at this fill's price
            }
        }

        var bought = fills.Where(f => f.Bought).ToList();
        var sold = fills.Where(f => !f.Bought).ToList();
        return new PerformanceView(
            bought.Sum(f => f.Quantity),
            sold.Sum(f => f.Quantity),
            bought.Sum(f => f.Price * f.Quantity),
            sold.Sum(f => f.Price * f.Quantity),
            fills.Count,
            placedQuantity == 0 ? null : decimal.Round((decimal)filledQuantity / placedQuantity, 4),
            position,
            position == 0 ? null : decimal.Round(cost, 4),
            decimal.Round(realized, 2),
            position == 0 ? 0m : lastPrice is { } last ? decimal.Round(position * (last - cost), 2) : null,
            lastPrice);
    }
}
