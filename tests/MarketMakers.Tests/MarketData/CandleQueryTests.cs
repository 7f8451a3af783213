using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketData;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Values;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Obligations;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.MarketData;

/// <summary>
/// Issue 17 "market data for people": candles and the tape over a scripted set of trades at fixed instants (own
/// database, fixed clock), across minute, hour and day boundaries, with exact OHLCV figures.
/// The script (CEA; "B"/"S" = the aggressor, the incoming order):
/// 12-06 23:59:00 68.00×6 B · 12-07 10:00:10 70.00×10 B · 10:00:50 71.00×5 and 71.50×2 B (one sweep) ·
/// 10:00:59.999 69.50×4 B · 10:01:00.000 69.00×3 S · 10:59:30 72.00×2 and 72.50×1 B (one sweep) · 11:00:00 73.00×1 B.
/// Now is 11:00:30.
/// </summary>
public sealed class CandleQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Day.AddMinutes(-2));
    private string _postgres = "";
    private ServiceProvider _services = null!;
    private Guid _mm;
    private Guid _client;

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("mdata");
        _services = TestDatabase.BuildServices(_postgres, configure: s => s.AddSingleton<TimeProvider>(_clock));
        _mm = await Market.CreateMarketMakerAsync(_services, new Dictionary<string, decimal> { ["CEA"] = 1000, ["EUR"] = 10_000 });
        _client = (await Market.CreateTraderAsync(_services, new Dictionary<string, decimal> { ["EUR"] = 100_000 })).UserId;
        await ScriptAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    private MarketDataQueries Queries => _services.GetRequiredService<MarketDataQueries>();

    private async Task ScriptAsync()
    {
        await TradeAsync(Day.AddMinutes(-1), "SELL", (68.00m, 6));
        await TradeAsync(Day.AddHours(10).AddSeconds(10), "SELL", (70.00m, 10));
        await TradeAsync(Day.AddHours(10).AddSeconds(50), "SELL", (71.00m, 5), (71.50m, 2));
        await TradeAsync(Day.AddHours(10).AddMilliseconds(59_999), "SELL", (69.50m, 4));
        await TradeAsync(Day.AddHours(10).AddMinutes(1), "BUY", (69.00m, 3));
        await TradeAsync(Day.AddHours(10).AddMinutes(59).AddSeconds(30), "SELL", (72.00m, 2), (72.50m, 1));
        await TradeAsync(Day.AddHours(11), "SELL", (73.00m, 1));
        _clock.Now = Day.AddHours(11).AddSeconds(30);
    }

    /// <summary>The MM rests the levels on <paramref name="mmSide"/>; at <paramref name="at"/> the client takes them all in one order.</summary>
    private async Task TradeAsync(DateTimeOffset at, string mmSide, params (decimal Price, long Quantity)[] levels)
    {
        _clock.Now = at.AddMilliseconds(-1);
        foreach (var (price, quantity) in levels)
        {
            await Market.WithAsync<OrderService, object>(_services, async s =>
                await s.PlaceMarketMakerOrderAsync(_mm, Market.Order("CEA", mmSide, price, quantity)));
        }

        _clock.Now = at;
        var takerSide = mmSide == "SELL" ? "BUY" : "SELL";
        var limit = mmSide == "SELL" ? levels.Max(l => l.Price) : levels.Min(l => l.Price);
        var placed = await Market.WithAsync<OrderService, MarketMakers.Core.Audit.Audited<PlacedOrder>>(_services, s =>
            s.PlaceClientOrderAsync(_client, Market.Order("CEA", takerSide, limit, levels.Sum(l => l.Quantity))));
        Assert.Equal(levels.Length, placed.Value.Trades.Count);
    }

    private static Candle Empty(DateTimeOffset start) => new(start, null, null, null, null, 0, 0);

    private static Candle Traded(DateTimeOffset start, decimal open, decimal high, decimal low, decimal close, long volume, int trades) =>
        new(start, open, high, low, close, volume, trades);

    [Fact]
    public async Task Minute_candles_split_at_the_minute_and_fill_empty_buckets_in_a_window_ending_now()
    {
        var series = await Queries.CandlesAsync(CertificateType.Cea, CandleBucket.Minute, 62);

        Assert.Equal(("CEA", "1m", 68.00m), (series.CertificateType, series.Bucket, series.PreviousClose));
        Assert.Equal(62, series.Candles.Count);
        var ten = Day.AddHours(10);
        Assert.Equal(Enumerable.Range(0, 62).Select(i => ten.AddMinutes(i - 1)), series.Candles.Select(c => c.Start));
        Assert.Equal(Empty(ten.AddMinutes(-1)), series.Candles[0]);
        Assert.Equal(Traded(ten, 70.00m, 71.50m, 69.50m, 69.50m, 21, 4), series.Candles[1]);
        Assert.Equal(Traded(ten.AddMinutes(1), 69.00m, 69.00m, 69.00m, 69.00m, 3, 1), series.Candles[2]);
        Assert.Equal(Traded(ten.AddMinutes(59), 72.00m, 72.50m, 72.00m, 72.50m, 3, 2), series.Candles[60]);
        Assert.Equal(Traded(ten.AddMinutes(60), 73.00m, 73.00m, 73.00m, 73.00m, 1, 1), series.Candles[61]);
        Assert.All(series.Candles.Skip(3).Take(57), c => Assert.Equal(Empty(c.Start), c));

        // One candle: only the current minute, and the close before it.
        var one = await Queries.CandlesAsync(CertificateType.Cea, CandleBucket.Minute, 1);
        Assert.Equal((72.50m, Traded(ten.AddMinutes(60), 73.00m, 73.00m, 73.00m, 73.00m, 1, 1)), (one.PreviousClose, Assert.Single(one.Candles)));
    }

    [Fact]
    public async Task Hour_and_day_candles_aggregate_exact_ohlcv_across_their_boundaries()
    {
        var hours = await Queries.CandlesAsync(CertificateType.Cea, CandleBucket.Hour, 3);
        Assert.Equal(68.00m, hours.PreviousClose);
        Assert.Equal(
            new[] { Empty(Day.AddHours(9)), Traded(Day.AddHours(10), 70.00m, 72.50m, 69.00m, 72.50m, 27, 7), Traded(Day.AddHours(11), 73.00m, 73.00m, 73.00m, 73.00m, 1, 1) },
            hours.Candles);

        var days = await Queries.CandlesAsync(CertificateType.Cea, CandleBucket.Day, 3);
        Assert.Null(days.PreviousClose);
        Assert.Equal(
            new[] { Empty(Day.AddDays(-2)), Traded(Day.AddDays(-1), 68.00m, 68.00m, 68.00m, 68.00m, 6, 1), Traded(Day, 70.00m, 73.00m, 69.00m, 73.00m, 28, 8) },
            days.Candles);

        // The other instrument has no trades: the window is all empty buckets, with no previous close.
        var eua = await Queries.CandlesAsync(CertificateType.Eua, CandleBucket.Day, 2);
        Assert.Null(eua.PreviousClose);
        Assert.Equal(new[] { Empty(Day.AddDays(-1)), Empty(Day) }, eua.Candles);
    }

    [Fact]
    public async Task The_tape_lists_the_newest_trades_first_with_the_aggressor_side_and_no_holder()
    {
        var tape = await Queries.TapeAsync(CertificateType.Cea, 20);

        var ten = Day.AddHours(10);
        Assert.Equal(
            new[]
            {
                (Day.AddHours(11), 73.00m, 1L, "BUY"),
                (ten.AddMinutes(59).AddSeconds(30), 72.50m, 1L, "BUY"),
                (ten.AddMinutes(59).AddSeconds(30), 72.00m, 2L, "BUY"),
                (ten.AddMinutes(1), 69.00m, 3L, "SELL"),
                (ten.AddMilliseconds(59_999), 69.50m, 4L, "BUY"),
                (ten.AddSeconds(50), 71.50m, 2L, "BUY"),
                (ten.AddSeconds(50), 71.00m, 5L, "BUY"),
                (ten.AddSeconds(10), 70.00m, 10L, "BUY"),
                (Day.AddMinutes(-1), 68.00m, 6L, "BUY"),
            },
            tape.Trades.Select(t => (t.ExecutedAt, t.Price, t.Quantity, t.AggressorSide)));
        Assert.Equal(3, (await Queries.TapeAsync(CertificateType.Cea, 3)).Trades.Count);
        Assert.Empty((await Queries.TapeAsync(CertificateType.Eua, 3)).Trades);
        await Market.AssertReconciledAsync(_services);
    }

    [Theory]
    [InlineData("1w")]
    [InlineData("")]
    [InlineData("minute")]
    public void An_unknown_bucket_is_a_validation_error_naming_the_choices(string bucket)
    {
        var ex = Assert.Throws<DomainException>(() => CandleBucket.Parse(bucket));
        Assert.Equal((DomainErrorKind.Validation, $"Unknown bucket '{bucket}'. Use 1m, 1h or 1d."), (ex.Kind, ex.Message));
    }

    [Fact]
    public void Bucket_starts_truncate_in_utc_like_date_trunc()
    {
        var at = new DateTimeOffset(2026, 12, 7, 10, 59, 59, 999, TimeSpan.FromHours(2));
        Assert.Equal(
            (new DateTimeOffset(2026, 12, 7, 8, 59, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), Day),
            (CandleBucket.Minute.StartOf(at), CandleBucket.Hour.StartOf(at), CandleBucket.Day.StartOf(at)));
    }
}
