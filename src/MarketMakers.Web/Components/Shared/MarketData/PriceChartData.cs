using System.Globalization;
using MarketMakers.Core.MarketData;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Web.Components.Shared.MarketData;

/// <summary>
/// What the price chart draws from a candle series: the close per bucket (carried through buckets without trades,
/// starting from the last price before the window; none before any known price), the volume per bucket, sparse axis labels, and a text summary for
/// screen readers and for anyone who cannot read the chart.
/// </summary>
public sealed record PriceChartData(string[] Labels, double?[] Closes, double[] Volumes, bool HasPrice, string Summary)
{
    /// <summary>Candles per bucket: an hour of minutes, two days of hours, a month of days.</summary>
    public static int CandlesFor(CandleBucket bucket) => bucket == CandleBucket.Minute ? 60 : bucket == CandleBucket.Hour ? 48 : 30;

    public static PriceChartData From(CandleSeries series)
    {
        var candles = series.Candles;
        var format = series.Bucket == CandleBucket.Day.Value ? "MMM d" : "HH:mm";
        // Label at most ~8 points so the axis stays readable; the rest stay unlabelled.
        var every = Math.Max(1, (int)Math.Ceiling(candles.Count / 8.0));
        var labels = candles.Select((c, i) => i % every == 0 ? c.Start.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) : "").ToArray();
        // The last price holds through a bucket without trades; before the first known price there is no line (null).
        var closes = new double?[candles.Count];
        var carried = series.PreviousClose;
        for (var i = 0; i < candles.Count; i++)
        {
            carried = candles[i].Close ?? carried;
            closes[i] = (double?)carried;
        }

        var volumes = candles.Select(c => (double)c.Volume).ToArray();
        return new PriceChartData(labels, closes, volumes, carried is not null, Summarize(series));
    }

    /// <summary>"CEA, 60 one-minute candles: last 70.00, high 71.00, low 69.00, volume 1,200 in 14 trades."</summary>
    public static string Summarize(CandleSeries series)
    {
        var traded = series.Candles.Where(c => c.Trades > 0).ToList();
        var span = $"{series.Candles.Count} {Width(series.Bucket)} candle{(series.Candles.Count == 1 ? "" : "s")}";
        if (traded.Count == 0)
        {
            return series.PreviousClose is { } before
                ? $"{series.CertificateType}, {span}: no trades; last price {MarketUi.Price(before)}."
                : $"{series.CertificateType}, {span}: no trades yet.";
        }

        return $"{series.CertificateType}, {span}: last {MarketUi.Price(traded[^1].Close)}, high {MarketUi.Price(traded.Max(c => c.High))}, "
               + $"low {MarketUi.Price(traded.Min(c => c.Low))}, volume {MarketUi.Quantity(traded.Sum(c => c.Volume))} in "
               + $"{Trades(traded.Sum(c => c.Trades))}.";
    }

    private static string Trades(int count) => count.ToString("#,0", CultureInfo.InvariantCulture) + (count == 1 ? " trade" : " trades");

    private static string Width(string bucket) => bucket switch
    {
        "1m" => "one-minute",
        "1h" => "one-hour",
        _ => "one-day",
    };
}
