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
/// One UTC day of a Market Maker's trading on one instrument: that day's bought and sold quantity, and the figures at
/// the day's close — the position, the realized P&L since the period's start, and the unrealized P&L of the open
/// position at the day's last trade price (carried over from earlier days when the instrument did not trade).
/// </summary>
public sealed record PerformanceDay(
    DateOnly Day,
    long BoughtQuantity,
    long SoldQuantity,
    long NetPosition,
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

/// <summary>
/// The daily series by the same average-cost method: each day's close is <see cref="PerformanceCalculator.Compute"/>
/// over the fills up to that day's end, valued at that day's last price, so the last day agrees with the period's
/// figures exactly.
/// </summary>
public static class PerformanceSeries
{
    /// <param name="fills">The Market Maker's fills of the period with their time, in trade order.</param>
    /// <param name="closes">The instrument's last trade price per day that traded (any holder's trade).</param>
    /// <param name="opening">The last price before the first day, if any.</param>
    public static IReadOnlyList<PerformanceDay> Compute(
        IReadOnlyList<(DateTimeOffset At, MakerFill Fill)> fills, IReadOnlyDictionary<DateOnly, decimal> closes,
        decimal? opening, DateOnly first, DateOnly last)
    {
        var ordered = fills.Select(f => f.Fill).ToArray();
        var days = new List<PerformanceDay>();
        var through = 0;
        var price = opening;
        PerformanceView? previous = null;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            while (through < fills.Count && fills[through].At < end)
            {
                through++;
            }

            price = closes.TryGetValue(day, out var close) ? close : price;
            var view = PerformanceCalculator.Compute(new ArraySegment<MakerFill>(ordered, 0, through), 0, 0, price);
            days.Add(new PerformanceDay(day,
                view.BoughtQuantity - (previous?.BoughtQuantity ?? 0), view.SoldQuantity - (previous?.SoldQuantity ?? 0),
                view.NetPosition, view.RealizedPnl, view.UnrealizedPnl, price));
            previous = view;
        }

        return days;
    }
}
