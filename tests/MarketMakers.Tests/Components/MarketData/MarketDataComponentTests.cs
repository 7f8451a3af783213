using Bunit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Trading = MarketMakers.Tests.Orders.Market;
using MarketMakers.Web.Components.Shared.MarketData;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Components.MarketData;

/// <summary>The real notifier, counting the subscriptions components hold, so a test sees them released.</summary>
public sealed class CountingNotifier(RedisOrderBookNotifier inner) : IOrderBookNotifier
{
    private int _active;

    public int Active => Volatile.Read(ref _active);

    public Task PublishAsync(string certificateType, CancellationToken cancellationToken = default) => inner.PublishAsync(certificateType, cancellationToken);

    public IDisposable Subscribe(string certificateType, Func<Task> onChange)
    {
        var subscription = inner.Subscribe(certificateType, onChange);
        Interlocked.Increment(ref _active);
        return new Release(this, subscription);
    }

    private sealed class Release(CountingNotifier owner, IDisposable subscription) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                subscription.Dispose();
                Interlocked.Decrement(ref owner._active);
            }
        }
    }
}

/// <summary>
/// The trade tape and the price chart against the real services and Redis notifier (own database): a trade committed
/// elsewhere is pushed into the rendered components, they follow the instrument parameter, and disposing them
/// releases every notifier subscription.
/// </summary>
public sealed class MarketDataComponentTests : CoreBunitContext
{
    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync("mdcomp");

    protected override Task DropDatabaseAsync(string postgres) => TestDatabase.DropAsync(postgres);

    private CountingNotifier Notifier => Services.GetRequiredService<CountingNotifier>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton(sp => new CountingNotifier(sp.GetRequiredService<RedisOrderBookNotifier>()));
        Services.AddSingleton<IOrderBookNotifier>(sp => sp.GetRequiredService<CountingNotifier>());
    }

    /// <summary>An MM offers and a client lifts it whole, through the services as another instance would.</summary>
    private async Task<TradeView> TradeAsync(decimal price, long quantity)
    {
        var mm = await Trading.CreateMarketMakerAsync(Services, new Dictionary<string, decimal> { ["CEA"] = quantity });
        var (client, _) = await Trading.CreateTraderAsync(Services, new Dictionary<string, decimal> { ["EUR"] = price * quantity });
        await Trading.WithAsync<OrderService, object>(Services, async s => await s.PlaceMarketMakerOrderAsync(mm, Trading.Order("CEA", "SELL", price, quantity)));
        var bought = await Trading.WithAsync<OrderService, MarketMakers.Core.Audit.Audited<PlacedOrder>>(Services, s =>
            s.PlaceClientOrderAsync(client, Trading.Order("CEA", "BUY", price, quantity)));
        return Assert.Single(bought.Value.Trades);
    }

    [Fact]
    public async Task A_trade_committed_elsewhere_is_pushed_into_the_tape_and_the_chart_and_disposing_releases_the_subscriptions()
    {
        var tape = Render<TradeTape>(p => p.Add(t => t.Certificate, "CEA"));
        var chart = Render<PriceChart>(p => p.Add(c => c.Certificate, "CEA"));
        tape.WaitForAssertion(() => Assert.Equal("No CEA trades yet.", tape.Find("[data-testid=tape-empty]").TextContent));
        chart.WaitForAssertion(() => Assert.Equal("CEA, 60 one-minute candles: no trades yet.", chart.Find("[data-testid=price-chart-summary]").TextContent));
        Assert.Equal(4, Notifier.Active); // each component: CEA and EUA
        await Services.GetRequiredService<RedisOrderBookNotifier>().EnsureSubscribedAsync();

        var trade = await TradeAsync(61.25m, 8);

        tape.WaitForAssertion(() =>
        {
            var row = tape.Find("[data-testid=tape-row]");
            Assert.Equal((trade.Id.ToString(), "BUY", "61.25", "8"),
                (row.GetAttribute("data-trade-id"), row.GetAttribute("data-side"), row.QuerySelector("[data-testid=tape-price]")!.TextContent,
                 row.QuerySelector("[data-testid=tape-quantity]")!.TextContent));
        });
        chart.WaitForAssertion(() => Assert.Equal(
            "CEA, 60 one-minute candles: last 61.25, high 61.25, low 61.25, volume 8 in 1 trade.", chart.Find("[data-testid=price-chart-summary]").TextContent));

        // Following the page's tab: the other instrument has no trades.
        tape.Render(p => p.Add(t => t.Certificate, "EUA"));
        tape.WaitForAssertion(() => Assert.Equal("No EUA trades yet.", tape.Find("[data-testid=tape-empty]").TextContent));

        await DisposeComponentsAsync();
        Assert.Equal(0, Notifier.Active);
    }
}
