using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// Issue 4 "Two instances": two independently wired service providers (each its own connection pool, Redis
/// multiplexer and notifier, as two app processes would have) on one database send crossing orders concurrently.
/// Nothing fills twice, the ledgers balance and reconciliation is clean.
/// </summary>
public sealed class TwoInstanceTests
{
    [Fact]
    public async Task Concurrent_crossing_orders_from_two_instances_never_fill_twice()
    {
        var postgres = await TestDatabase.CreateAsync("two");
        try
        {
            await using var first = TestDatabase.BuildServices(postgres);
            await using var second = TestDatabase.BuildServices(postgres);
            var mm = await Market.CreateMarketMakerAsync(first, new Dictionary<string, decimal> { ["CEA"] = 2000, ["EUA"] = 2000 });
            var traders = new List<(Guid UserId, Guid EntityId)>();
            for (var i = 0; i < 6; i++)
            {
                traders.Add(await Market.CreateTraderAsync(i % 2 == 0 ? first : second,
                    new Dictionary<string, decimal> { ["EUR"] = 100_000m, ["CEA"] = 200, ["EUA"] = 200 }));
            }

            var before = await Market.TotalsAsync(postgres);
            var random = new Random(42);
            var plan = Enumerable.Range(0, 200).Select(i =>
            {
                var ct = i % 3 == 0 ? "EUA" : "CEA";
                var price = 99m + random.Next(0, 201) / 100m;
                var qty = (long)random.Next(1, 25);
                return (Instance: i % 2 == 0 ? first : second, Index: i, Ct: ct, Price: price, Qty: qty,
                    Maker: i % 10 == 0, Trader: traders[random.Next(traders.Count)], Side: random.Next(2) == 0 ? OrderSide.Buy.Value : OrderSide.Sell.Value);
            }).ToList();

            using var start = new SemaphoreSlim(0);
            var tasks = plan.Select(p => Task.Run(async () =>
            {
                await start.WaitAsync();
                try
                {
                    await Market.WithAsync<OrderService, object>(p.Instance, async s => p.Maker
                        ? await s.PlaceMarketMakerOrderAsync(mm, Market.Order(p.Ct, OrderSide.Sell.Value, p.Price, p.Qty))
                        : await s.PlaceClientOrderAsync(p.Trader.UserId, Market.Order(p.Ct, p.Side, p.Price, p.Qty)));
                    return "ok";
                }
                catch (DomainException ex) when (ex.Kind == DomainErrorKind.BusinessRule)
                {
                    return "rejected";
                }
            })).ToList();
            start.Release(plan.Count);
            var outcomes = await Task.WhenAll(tasks);

            Assert.True(outcomes.Count(o => o == "ok") >= 150, string.Join(",", outcomes.GroupBy(o => o).Select(g => $"{g.Key}={g.Count()}")));
            var trades = await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM cash_market_trades");
            Assert.True(trades >= 20, $"only {trades} trades");
            Assert.Equal(outcomes.Count(o => o == "ok"), (int)await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM orders"));
            await Market.AssertFillsMatchTradesAsync(postgres);
            await Market.AssertBooksUncrossedAsync(postgres);
            Assert.Equal(before, await Market.TotalsAsync(postgres));
            await Market.AssertReconciledAsync(first);
            await Market.AssertReconciledAsync(second);
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }
}
