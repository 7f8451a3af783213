using MarketMakers.Core.MarketData;
using MarketMakers.Web.Components.Shared.MarketData;

namespace MarketMakers.Tests.MarketData;

/// <summary>What the price chart draws: no line before the first known price, the last price held through empty buckets.</summary>
public sealed class PriceChartDataTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static Candle Empty(int minute) => new(Ten.AddMinutes(minute), null, null, null, null, 0, 0);

    [Fact]
    public void Closes_start_at_the_first_known_price_and_hold_through_empty_buckets()
    {
        var series = new CandleSeries("CEA", "1m", null,
            [Empty(0), new Candle(Ten.AddMinutes(1), 70m, 71m, 69m, 70.5m, 12, 3), Empty(2), new Candle(Ten.AddMinutes(3), 72m, 72m, 72m, 72m, 1, 1)]);

        var data = PriceChartData.From(series);

        Assert.Equal(new double?[] { null, 70.5, 70.5, 72 }, data.Closes);
        Assert.Equal(new double[] { 0, 12, 0, 1 }, data.Volumes);
        Assert.Equal(new[] { "10:00", "10:01", "10:02", "10:03" }, data.Labels);
        Assert.True(data.HasPrice);
        Assert.Equal("CEA, 4 one-minute candles: last 72.00, high 72.00, low 69.00, volume 13 in 4 trades.", data.Summary);
    }

    [Fact]
    public void A_window_without_trades_draws_the_previous_close_or_nothing()
    {
        var quiet = PriceChartData.From(new CandleSeries("EUA", "1d", 65.25m, [Empty(0), Empty(1)]));
        Assert.Equal(new double?[] { 65.25, 65.25 }, quiet.Closes);
        Assert.Equal((true, "EUA, 2 one-day candles: no trades; last price 65.25."), (quiet.HasPrice, quiet.Summary));

        var never = PriceChartData.From(new CandleSeries("EUA", "1h", null, [Empty(0)]));
        Assert.Equal(new double?[] { null }, never.Closes);
        Assert.Equal((false, "EUA, 1 one-hour candle: no trades yet."), (never.HasPrice, never.Summary));
    }
}
