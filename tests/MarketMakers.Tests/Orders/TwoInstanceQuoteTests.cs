using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// Issue 17 "two instances replacing one MM's ladder at once never leave both ladders open": two independently wired
/// service providers (own pools, Redis, notifier) replace the same Market Maker's ladder concurrently, while clients
/// trade against it. Afterwards exactly one ladder's orders are open, its locks are exactly the MM's locked balances,
/// and the ledgers reconcile.
/// </summary>
public sealed class TwoInstanceQuoteTests
{
    [Fact]
    public async Task Concurrent_replaces_from_two_instances_leave_exactly_one_ladder_open()
    {
        var postgres = await TestDatabase.CreateAsync("quotes2");
        try
        {
            await using var first = TestDatabase.BuildServices(postgres);
            await using var second = TestDatabase.BuildServices(postgres);
            var mm = await Market.CreateMarketMakerAsync(first, new Dictionary<string, decimal> { ["CEA"] = 5000, ["EUR"] = 1_000_000m });
            var trader = await Market.CreateTraderAsync(second, new Dictionary<string, decimal> { ["EUR"] = 100_000m, ["CEA"] = 500 });
            var before = await Market.TotalsAsync(postgres);
            var certificate = CertificateType.Cea;

            using var start = new SemaphoreSlim(0);
            var replaces = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            {
                await start.WaitAsync();
                // Ladder i: 3–10 levels a side of size 10 + i. The clients reach only the first two levels of a side, so
                // the last ladder always keeps open orders.
                var levels = 3 + (i % 8);
                var bids = Enumerable.Range(0, levels).Select(l => ((decimal?)(99.50m - l * 0.10m), (decimal?)(10 + i))).ToList();
                var asks = Enumerable.Range(0, levels).Select(l => ((decimal?)(100.50m + l * 0.10m), (decimal?)(10 + i))).ToList();
                return await Market.WithAsync<QuoteService, string>(i % 2 == 0 ? first : second, async s =>
                    (await s.ReplaceAsync(ReplaceQuotes.Parse(new MarketMakerId(mm), certificate, bids, asks))).TicketId);
            })).ToList();
            // Clients hit the quotes meanwhile, so fills and replaces interleave under the instrument lock.
            var hits = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                await start.WaitAsync();
                var side = i % 2 == 0 ? OrderSide.Buy.Value : OrderSide.Sell.Value;
                await Market.WithAsync<OrderService, object>(i % 2 == 0 ? first : second, async s =>
                    await s.PlaceClientOrderAsync(trader.UserId, Market.Order("CEA", side, side == OrderSide.Buy.Value ? 100.60m : 99.40m, 3)));
            })).ToList();
            start.Release(replaces.Count + hits.Count);
            var tickets = await Task.WhenAll(replaces);
            await Task.WhenAll(hits);

            // Every open order of the MM came from one and the same replace.
            var open = await TestDatabase.ScalarAsync<string[]>(postgres,
                "SELECT coalesce(array_agg(ticket_id), '{}') FROM orders WHERE market_maker_id = @p0 AND status IN ('OPEN', 'PARTIALLY_FILLED')", mm);
            Assert.NotEmpty(open);
            var owners = new HashSet<string>();
            foreach (var ticketId in tickets)
            {
                var replace = await TicketAssert.LoadAsync(postgres, ticketId);
                if (open.Any(o => replace.RelatedTicketIds.Contains(o)))
                {
                    owners.Add(ticketId);
                }
            }

            Assert.Single(owners);
            var locked = await TestDatabase.ScalarAsync<decimal>(postgres,
                "SELECT coalesce(sum(CASE WHEN side = 'BUY' THEN (quantity - filled_quantity) * price ELSE 0 END), 0) FROM orders WHERE market_maker_id = @p0 AND status IN ('OPEN', 'PARTIALLY_FILLED')", mm);
            Assert.Equal(locked, await TestDatabase.ScalarAsync<decimal>(postgres, "SELECT locked FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", mm));
            Assert.Equal(before, await Market.TotalsAsync(postgres));
            await Market.AssertBooksUncrossedAsync(postgres);
            await Market.AssertFillsMatchTradesAsync(postgres);
            await Market.AssertReconciledAsync(first);
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }
}
