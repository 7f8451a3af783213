using System.Collections.Concurrent;
using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Market = MarketMakers.Tests.Orders.Market;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Issue 16 "Halt under load": 32 clients are placing orders when the desk halts the market. No order commits after
/// the halt (its ticket records the last order sequence accepted before it, read under the instrument lock), every
/// placement that starts after the halt returned is refused with its FAILED ticket, cancels succeed during the halt,
/// placement works after the resume, and the ledger reconciles.
/// </summary>
public sealed class HaltUnderLoadTests
{
    private const int Clients = 32;

    [Fact]
    public async Task Orders_racing_a_halt_either_commit_before_it_or_are_refused_and_nothing_is_lost()
    {
        var postgres = await TestDatabase.CreateAsync("haltload");
        try
        {
            await using var services = TestDatabase.BuildServices(postgres);
            var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 100_000 });
            await Market.WithAsync<OrderService, object>(services, async s => await s.PlaceMarketMakerOrderAsync(mm, Market.Order("CEA", "SELL", 100.00m, 20_000)));
            var traders = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ =>
                Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 1_000_000m })));

            var accepted = 0;
            var haltReturned = false;
            var outcomes = new ConcurrentBag<(bool StartedAfterHalt, string Outcome, Guid? OrderId)>();
            var enoughPlaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var load = traders.Select((trader, i) => Task.Run(async () =>
            {
                var random = new Random(i);
                for (var refusedAfterHalt = 0; refusedAfterHalt < 3 && outcomes.Count < 20_000;)
                {
                    var afterHalt = Volatile.Read(ref haltReturned);
                    // Bids from 98.00 to 100.00: some lift the MM's offer (trades), the rest rest on the book.
                    var terms = Market.Order("CEA", "BUY", 98.00m + random.Next(0, 201) / 100m, random.Next(1, 6));
                    try
                    {
                        var placed = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(trader.UserId, terms));
                        outcomes.Add((afterHalt, "ok", placed.Value.Order.Id));
                        if (Interlocked.Increment(ref accepted) == 150)
                        {
                            enoughPlaced.TrySetResult();
                        }
                    }
                    catch (DomainException ex) when (ex.Kind == DomainErrorKind.Conflict)
                    {
                        outcomes.Add((afterHalt, "halted", null));
                        refusedAfterHalt += afterHalt ? 1 : 0;
                    }
                }
            })).ToList();

            await enoughPlaced.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var halt = await Market.WithAsync<MarketService, Audited<MarketView>>(services, s => s.HaltAsync(HaltMarket.Parse("CEA", "Load test halt")));
            Volatile.Write(ref haltReturned, true);
            await Task.WhenAll(load);

            // What a user notices: once the halt answered, every placement was refused.
            Assert.All(outcomes.Where(o => o.StartedAfterHalt), o => Assert.Equal("halted", o.Outcome));
            var refused = outcomes.Count(o => o.Outcome == "halted");
            Assert.True(refused >= Clients * 3, $"only {refused} refusals");

            // No order committed after the halt: every stored CEA order precedes the halt's last order sequence.
            var after = JsonDocument.Parse((await TicketAssert.LoadAsync(postgres, halt.TicketId)).AfterState!).RootElement;
            var lastBeforeHalt = after.GetProperty("last_order_sequence").GetInt64();
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM orders WHERE certificate_type = 'CEA' AND sequence > @p0", lastBeforeHalt));
            var okCount = outcomes.Count(o => o.Outcome == "ok");
            Assert.Equal(okCount + 1, (int)await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM orders WHERE certificate_type = 'CEA'"));
            Assert.Equal(refused, (int)await TestDatabase.ScalarAsync<long>(postgres,
                "SELECT count(*) FROM ticket_logs WHERE action_type = 'ORDER_PLACED' AND status = 'FAILED' AND response_data::text LIKE '%CEA market is HALTED%'"));

            // Cancels work during the halt.
            var open = await TestDatabase.ScalarAsync<string>(postgres,
                "SELECT coalesce(string_agg(id::text, ','), '') FROM (SELECT id FROM orders WHERE status = 'OPEN' AND market_maker_id IS NULL LIMIT 5) o");
            foreach (var orderId in open.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse))
            {
                var owner = await OwnerAsync(postgres, orderId);
                var cancelled = await Market.WithAsync<OrderService, Audited<OrderView>>(services, s => s.CancelClientOrderAsync(owner, orderId));
                Assert.Equal("CANCELLED", cancelled.Value.Status);
            }

            await Market.WithAsync<MarketService, Audited<MarketView>>(services, s => s.ResumeAsync(ResumeMarket.Parse("CEA", "Load test over")));
            var again = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(traders[0].UserId, Market.Order("CEA", "BUY", 97.00m, 1)));
            Assert.Equal("OPEN", again.Value.Order.Status);
            await Market.AssertFillsMatchTradesAsync(postgres);
            await Market.AssertBooksUncrossedAsync(postgres);
            await Market.AssertReconciledAsync(services);
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static async Task<Guid> OwnerAsync(string postgres, Guid orderId) =>
        Guid.Parse(await TestDatabase.ScalarAsync<string>(postgres,
            "SELECT u.id::text FROM orders o JOIN users u ON u.entity_id = o.holder_id WHERE o.id = @p0 LIMIT 1", orderId));
}
