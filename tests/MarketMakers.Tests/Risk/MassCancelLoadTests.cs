using System.Collections.Concurrent;
using System.Net;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using static MarketMakers.Tests.Risk.MassCancelApi;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Mass cancel under load (issue 16): placements for one Market Maker and others run concurrently with a cancel-all for
/// that Market Maker. "Placed before the MASS_CANCEL" is commit order, which the instrument lock makes exact: a placement
/// takes its ticket id before it queues for the lock, so ticket order can differ from commit order, but it takes its
/// order sequence under the lock. Each MASS_CANCEL ticket records the sequence its sweep saw (as_of_order_sequence).
/// </summary>
public sealed class MassCancelLoadTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    private const int Tasks = 24;
    private const int OrdersBefore = 6;
    private const int OrdersAfter = 2;

    [Fact]
    public async Task Mass_cancel_under_concurrent_placements_leaves_no_earlier_order_open_and_every_lock_equal_to_open_orders()
    {
        using var admin = await app.CreateAdminClientAsync();
        var target = await MmApi.CreateAsync(admin, new { CEA = "100000", EUA = "100000" }, "load-target");
        var others = new[]
        {
            await MmApi.CreateAsync(admin, new { CEA = "100000", EUA = "100000" }, "load-a"),
            await MmApi.CreateAsync(admin, new { CEA = "100000", EUA = "100000" }, "load-b"),
        };
        var acknowledgedBefore = new ConcurrentBag<Guid>();
        var placedAfter = new ConcurrentBag<Guid>();
        var enoughPlaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelSent = 0;

        async Task PlaceLoopAsync(int worker)
        {
            var mm = worker % 3 == 0 ? others[worker % 2] : target;
            var certificate = worker % 2 == 0 ? "CEA" : "EUA";
            for (var i = 0; i < OrdersBefore; i++)
            {
                // SELLs only, well apart: nothing matches, so every lock is an open order's.
                var id = await PlaceAsync(admin, mm, certificate, $"{100 + worker}.{i:00}", "1");
                if (mm == target && Volatile.Read(ref cancelSent) == 0)
                {
                    acknowledgedBefore.Add(id);
                }

                if (acknowledgedBefore.Count >= 20)
                {
                    enoughPlaced.TrySetResult();
                }
            }

            await cancelReturned.Task;
            for (var i = 0; i < OrdersAfter; i++)
            {
                var id = await PlaceAsync(admin, mm, certificate, $"{200 + worker}.{i:00}", "1");
                if (mm == target)
                {
                    placedAfter.Add(id);
                }
            }
        }

        var workers = Enumerable.Range(0, Tasks).Select(w => Task.Run(() => PlaceLoopAsync(w))).ToList();
        await Task.WhenAny(enoughPlaced.Task, Task.WhenAll(workers));
        Interlocked.Exchange(ref cancelSent, 1);
        using var response = await CancelAllAsync(admin, new { market_maker_id = target });
        cancelReturned.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await OrderApi.OkAsync(response);
        var ticketIds = body.GetProperty("ticket_ids").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, ticketIds.Count);
        var orders = (await OrdersAsync(app.Postgres, "market_maker_id = @p0", target)).ToDictionary(o => o.Id);

        // Every placement acknowledged before the switch was pulled had committed, so it is cancelled.
        Assert.True(acknowledgedBefore.Count >= 20, $"only {acknowledgedBefore.Count} placements before the cancel");
        Assert.All(acknowledgedBefore, id => Assert.Equal("CANCELLED", orders[id].Status));

        // Per book: nothing at or below the sequence the sweep saw is open; what it cancelled is exactly that; later ones rest.
        var cancelledTotal = 0;
        foreach (var (ticketId, certificate) in ticketIds.Zip(["CEA", "EUA"]))
        {
            var after = After(await TicketAssert.LoadAsync(app.Postgres, ticketId));
            var asOf = after.GetProperty("as_of_order_sequence").GetInt64();
            var book = orders.Values.Where(o => o.CertificateType == certificate).ToList();
            var swept = OrderIds(after);
            cancelledTotal += swept.Count;
            Assert.All(book.Where(o => o.Sequence <= asOf), o => Assert.Equal("CANCELLED", o.Status));
            Assert.Equal(book.Where(o => o.Sequence <= asOf).Select(o => o.Id).Order(), swept.Order());
            Assert.All(book.Where(o => o.Sequence > asOf), o => Assert.Equal("OPEN", o.Status));
        }

        Assert.Equal(cancelledTotal, body.GetProperty("cancelled").GetInt32());
        Assert.NotEmpty(placedAfter);
        Assert.All(placedAfter, id => Assert.Equal("OPEN", orders[id].Status));

        // The other Market Makers kept every order; every lock is what the open orders hold; the ledger reconciles.
        Assert.All(await OrdersAsync(app.Postgres, "market_maker_id = ANY(@p0)", others), o => Assert.Equal("OPEN", o.Status));
        foreach (var mm in others.Append(target))
        {
            await AssertLocksMatchOpenOrdersAsync(app.Postgres, mm);
        }

        await OrderApi.AssertReconciledAsync(admin);
    }
}
