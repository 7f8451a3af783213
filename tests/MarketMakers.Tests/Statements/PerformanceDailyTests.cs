using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Statements;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Obligations;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Statements;

/// <summary>
/// Issue 17 "MM detail shows a daily volume chart and P&amp;L over time": PerformanceService.DailyAsync over a scripted
/// sequence of trades on fixed days, in a database of its own (the last price is any holder's trade).
/// Dec 1: MM1 sells 10 @ 50 (short 10 at 50); MM2 trades 10 @ 46, the day's close → unrealized −10 × (46 − 50) = +40.
/// Dec 2: no trade; the position and the close carry over.
/// Dec 3: MM1 buys 4 @ 45 (realizes 4 × 5 = 20) and 8 @ 48 (closes 6: +12 = 32; opens long 2 at 48); MM2 trades 1 @ 52,
/// the close → unrealized 2 × (52 − 48) = +8.
/// </summary>
public sealed class PerformanceDailyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Dec1 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Dec1);
    private string _postgres = "";
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("perfday");
        _services = TestDatabase.BuildServices(_postgres, configure: s => s.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    private Task MmAsync(Guid mm, string side, decimal price, long quantity) =>
        Market.WithAsync<OrderService, object>(_services, async s => await s.PlaceMarketMakerOrderAsync(mm, Market.Order("CEA", side, price, quantity)));

    private Task ClientAsync(Guid user, string side, decimal price, long quantity) =>
        Market.WithAsync<OrderService, object>(_services, async s => await s.PlaceClientOrderAsync(user, Market.Order("CEA", side, price, quantity)));

    [Fact]
    public async Task The_daily_series_gives_each_days_volume_and_the_average_cost_pnl_at_its_close()
    {
        var mm1 = await Market.CreateMarketMakerAsync(_services, new Dictionary<string, decimal> { ["CEA"] = 100, ["EUR"] = 10_000 });
        var mm2 = await Market.CreateMarketMakerAsync(_services, new Dictionary<string, decimal> { ["CEA"] = 100 });
        var (client, _) = await Market.CreateTraderAsync(_services, new Dictionary<string, decimal> { ["EUR"] = 10_000, ["CEA"] = 20 });

        _clock.Now = Dec1;
        await MmAsync(mm1, "SELL", 50.00m, 10);
        await ClientAsync(client, "BUY", 50.00m, 10);
        _clock.Now = Dec1.AddHours(5);
        await MmAsync(mm2, "SELL", 46.00m, 10);
        await ClientAsync(client, "BUY", 46.00m, 10);

        _clock.Now = Dec1.AddDays(2);
        await MmAsync(mm1, "BUY", 45.00m, 4);
        await ClientAsync(client, "SELL", 45.00m, 4);
        await MmAsync(mm1, "BUY", 48.00m, 8);
        await ClientAsync(client, "SELL", 48.00m, 8);
        _clock.Now = Dec1.AddDays(2).AddHours(3);
        await MmAsync(mm2, "SELL", 52.00m, 1);
        await ClientAsync(client, "BUY", 52.00m, 1);

        var from = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(3);
        await using var scope = _services.CreateAsyncScope();
        var performance = scope.ServiceProvider.GetRequiredService<PerformanceService>();
        var days = await performance.DailyAsync(mm1, CertificateType.Cea, from, to);
        Assert.Equal(
            [
                new PerformanceDay(new DateOnly(2026, 12, 1), 0, 10, -10, 0.00m, 40.00m, 46.00m),
                new PerformanceDay(new DateOnly(2026, 12, 2), 0, 0, -10, 0.00m, 40.00m, 46.00m),
                new PerformanceDay(new DateOnly(2026, 12, 3), 12, 0, 2, 32.00m, 8.00m, 52.00m),
            ],
            days);

        // The last day's close is the period's figures, by the same calculator.
        var period = await performance.GetAsync(mm1, CertificateType.Cea, from, to);
        Assert.Equal((2L, 32.00m, 8.00m, 12L, 10L), (period!.NetPosition, period.RealizedPnl, period.UnrealizedPnl, period.BoughtQuantity, period.SoldQuantity));

        // Without a start the series opens on the first fill's day; MM2 is short 10 at 46, then 11 at 512 / 11: at 52 that is −11 × 52 + 512 = −60.
        var mm2Days = (await performance.DailyAsync(mm2, CertificateType.Cea, null, to))!;
        Assert.Equal([-10L, -10L, -11L], mm2Days.Select(d => d.NetPosition));
        Assert.Equal(new PerformanceDay(new DateOnly(2026, 12, 3), 0, 1, -11, 0.00m, -60.00m, 52.00m), mm2Days[^1]);

        Assert.Empty((await performance.DailyAsync(mm1, CertificateType.Eua, null, to))!);
        Assert.Null(await performance.DailyAsync(Guid.NewGuid(), CertificateType.Cea, from, to));
        Assert.Equal(DomainErrorKind.Validation, (await Assert.ThrowsAsync<DomainException>(() =>
            performance.DailyAsync(mm1, CertificateType.Cea, from.AddYears(-5), to))).Kind);
        await Market.AssertReconciledAsync(_services);
    }
}
