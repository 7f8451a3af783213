using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// ADR 0009: several placements in one transaction. The batch is handed to the processor directly, so which orders
/// share a transaction is certain (through <see cref="OrderService"/> that depends on timing): arrival order is time
/// priority, a refused order leaves only its FAILED ticket, and an order the database refuses does not take the
/// rest of its batch down.
/// </summary>
public sealed partial class OrderBatchTests
{
    [Fact]
    public Task One_batch_keeps_arrival_order_and_a_refused_order_in_it_leaves_only_its_failed_ticket() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 100 });
        var a = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 10_000m });
        var b = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 1m });
        var c = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 10_000m });
        var d = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["CEA"] = 10 });
        var totals = await Market.TotalsAsync(postgres);

        var batch = new[]
        {
            await PendingAsync(services, "CEA", mm, mm, OrderSide.Sell.Value, 100m, 10),  // rests first at 100
            await PendingAsync(services, "CEA", d.EntityId, null, OrderSide.Sell.Value, 100m, 5),  // same price, behind the MM
            await PendingAsync(services, "CEA", b.EntityId, null, OrderSide.Buy.Value, 100m, 5),  // 500 EUR needed, 1 held: refused
            await PendingAsync(services, "CEA", a.EntityId, null, OrderSide.Buy.Value, 101m, 12),  // takes the MM's 10, then 2 of D's
            await PendingAsync(services, "CEA", c.EntityId, null, OrderSide.Buy.Value, 100m, 1),  // takes 1 more of D's
        };
        Assert.True(await Processor(services).RunAsync(CertificateType.Cea, batch));

        var refused = await Assert.ThrowsAsync<DomainException>(() => batch[2].Completion.Task);
        Assert.Equal(DomainErrorKind.BusinessRule, refused.Kind);
        Assert.Equal(batch[2].Ticket.Value, refused.TicketId);
        Assert.Equal("FAILED", await TestDatabase.ScalarAsync<string>(postgres, "SELECT status FROM ticket_logs WHERE ticket_id = @p0", refused.TicketId!));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(*) FROM orders WHERE holder_id = @p0", b.EntityId));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(*) FROM balances WHERE holder_id = @p0 AND asset = 'CEA'", b.EntityId));
        Assert.Equal(1m, await TestDatabase.ScalarAsync<decimal>(postgres,
            "SELECT available FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", b.EntityId));

        var placed = new[] { 0, 1, 3, 4 }.Select(i => batch[i].Completion.Task.Result.Value).ToList();
        // Each response is the order as its own action left it; D was filled later in the same batch.
        Assert.Equal(["OPEN", "OPEN", "FILLED", "FILLED"], placed.Select(p => p.Order.Status));
        Assert.Equal("FILLED|PARTIALLY_FILLED", await TestDatabase.ScalarAsync<string>(postgres,
            "SELECT (SELECT status FROM orders WHERE id = @p0) || '|' || (SELECT status FROM orders WHERE id = @p1)", placed[0].Order.Id, placed[1].Order.Id));
        var sequences = placed.Select(p => p.Order.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences, await SequencesAsync(postgres, placed.Select(p => p.Order.Id)));

        // Price-time priority across the batch: A fills against the MM first (earlier at 100), then D; C gets D's next unit.
        var takerA = placed[2].Trades;
        Assert.Equal([(placed[0].Order.Id, 10L, 100m), (placed[1].Order.Id, 2L, 100m)], takerA.Select(t => (t.SellOrderId, t.Quantity, t.Price)));
        Assert.Equal([(placed[1].Order.Id, 1L)], placed[3].Trades.Select(t => (t.SellOrderId, t.Quantity)));
        Assert.Equal(
            "MM:10,D:2,D:1",
            await TestDatabase.ScalarAsync<string>(postgres, """
                SELECT string_agg(CASE WHEN seller_holder_id = @p0 THEN 'MM' ELSE 'D' END || ':' || quantity, ',' ORDER BY sequence)
                FROM cash_market_trades
                """, mm));

        // A paid 100 per certificate, not its 101 limit; every trade has its ticket; the ledger reconciles.
        Assert.Equal(10_000m - 1_200m, await TestDatabase.ScalarAsync<decimal>(postgres,
            "SELECT available FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", a.EntityId));
        Assert.Equal(3L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(*) FROM ticket_logs WHERE action_type = 'TRADE_EXECUTED' AND status = 'SUCCESS'"));
        Assert.Equal(totals, await Market.TotalsAsync(postgres));
        await Market.AssertFillsMatchTradesAsync(postgres);
        await Market.AssertReconciledAsync(services);
    });

    [Fact]
    public Task An_order_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_placed() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["EUA"] = 50 });
        var a = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 10_000m });
        var x = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 10_000m });
        var totals = await Market.TotalsAsync(postgres);

        // A user id that no users row has: its ledger rows break the created_by foreign key when the batch writes.
        var ghost = new RequestContext(Guid.NewGuid(), "ghost@test.local", "127.0.0.1", "test", null);
        var batch = new[]
        {
            await PendingAsync(services, "EUA", mm, mm, OrderSide.Sell.Value, 90m, 10),
            await PendingAsync(services, "EUA", x.EntityId, null, OrderSide.Buy.Value, 90m, 2, ghost),
            await PendingAsync(services, "EUA", a.EntityId, null, OrderSide.Buy.Value, 90m, 3),
        };
        Assert.True(await Processor(services).RunAsync(CertificateType.Eua, batch));

        var failed = await Assert.ThrowsAsync<DomainException>(() => batch[1].Completion.Task);
        Assert.Equal(DomainErrorKind.Internal, failed.Kind);
        Assert.Equal("FAILED", await TestDatabase.ScalarAsync<string>(postgres, "SELECT status FROM ticket_logs WHERE ticket_id = @p0", failed.TicketId!));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", x.EntityId));

        var maker = (await batch[0].Completion.Task).Value;
        var taker = (await batch[2].Completion.Task).Value;
        Assert.Equal("FILLED", taker.Order.Status);
        Assert.Equal([(maker.Order.Id, 3L)], taker.Trades.Select(t => (t.SellOrderId, t.Quantity)));
        Assert.Equal(7L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT quantity - filled_quantity FROM orders WHERE id = @p0", maker.Order.Id));
        Assert.Equal(totals, await Market.TotalsAsync(postgres));
        await Market.AssertReconciledAsync(services);
    });

    [Fact]
    public Task A_taker_that_sweeps_more_levels_than_the_batch_reserved_ids_for_is_written_whole_in_order() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["EUA"] = 100 });
        var a = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 100_000m });
        var asks = new List<PendingOrder>();
        for (var level = 0; level < 9; level++)
        {
            asks.Add(await PendingAsync(services, "EUA", mm, mm, OrderSide.Sell.Value, 50m + level, 2));
        }

        Assert.True(await Processor(services).RunAsync(CertificateType.Eua, asks));
        var totals = await Market.TotalsAsync(postgres);

        // One order, nine fills: more trades and ledger rows than a one-order batch reserves up front.
        var taker = await PendingAsync(services, "EUA", a.EntityId, null, OrderSide.Buy.Value, 100m, 18);
        Assert.True(await Processor(services).RunAsync(CertificateType.Eua, [taker]));

        var placed = (await taker.Completion.Task).Value;
        Assert.Equal("FILLED", placed.Order.Status);
        Assert.Equal(Enumerable.Range(0, 9).Select(l => 50m + l), placed.Trades.Select(t => t.Price));
        Assert.Equal(9L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(DISTINCT sequence) FROM cash_market_trades WHERE buy_order_id = @p0", placed.Order.Id));
        Assert.Equal("50.00,51.00,52.00,53.00,54.00,55.00,56.00,57.00,58.00", await TestDatabase.ScalarAsync<string>(postgres,
            "SELECT string_agg(price::text, ',' ORDER BY sequence) FROM cash_market_trades WHERE buy_order_id = @p0", placed.Order.Id));
        Assert.Equal(10, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(*) FROM ticket_logs WHERE ticket_id = @p0 OR (action_type = 'TRADE_EXECUTED' AND @p0 = ANY(related_ticket_ids))", taker.Ticket.Value));
        Assert.Equal(totals, await Market.TotalsAsync(postgres));
        await Market.AssertFillsMatchTradesAsync(postgres);
        await Market.AssertReconciledAsync(services);
    });

    [Fact]
    public Task A_user_who_may_not_trade_is_refused_inside_the_batch_with_a_failed_ticket_and_changes_nothing() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["EUA"] = 10 });
        await Market.WithAsync<OrderService, object>(services, async s => await s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", OrderSide.Sell.Value, 50m, 10)));
        var approved = (await Market.WithAsync<ClientService, Audited<ClientUserView>>(services, s => s.CreateUserAsync(
            new CreateClientUserRequest($"a-{Guid.NewGuid():N}@test.local", UserFactory.DefaultPassword, "A", "A", Roles.Approved, "Approved Ltd")))).Value;
        await Market.WithAsync<LedgerMovementService, object>(services, async s =>
            await s.FundAsync(approved.Id, "EUR", 1_000m, notes: "funding"));
        var funded = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 1_000m });
        var totals = await Market.TotalsAsync(postgres);

        // Both at once, so that they can share a batch: the refusal must not take the funded order down.
        var refused = Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(approved.Id, Market.Order("EUA", OrderSide.Buy.Value, 50m, 2)));
        var ghost = Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(Guid.NewGuid(), Market.Order("EUA", OrderSide.Buy.Value, 50m, 2)));
        var placed = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(funded.UserId, Market.Order("EUA", OrderSide.Buy.Value, 50m, 3)));

        var rule = await Assert.ThrowsAsync<DomainException>(() => refused);
        Assert.Equal(DomainErrorKind.BusinessRule, rule.Kind);
        Assert.Contains("FUNDED", rule.Message);
        var missing = await Assert.ThrowsAsync<DomainException>(() => ghost);
        Assert.Equal(DomainErrorKind.NotFound, missing.Kind);
        foreach (var ticket in new[] { rule.TicketId!, missing.TicketId! })
        {
            Assert.Equal("FAILED|ORDER_PLACED", await TestDatabase.ScalarAsync<string>(postgres,
                "SELECT status || '|' || action_type FROM ticket_logs WHERE ticket_id = @p0", ticket));
        }

        Assert.Equal("FILLED", placed.Value.Order.Status);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", approved.EntityId!.Value));
        Assert.Equal(1_000m, await TestDatabase.ScalarAsync<decimal>(postgres,
            "SELECT available FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", approved.EntityId!.Value));
        Assert.Equal(totals, await Market.TotalsAsync(postgres));
        await Market.AssertReconciledAsync(services);
    });

    [Fact]
    public Task Concurrent_placements_through_the_service_share_transactions_and_all_commit_with_their_tickets() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["EUA"] = 1_000 });
        await Market.WithAsync<OrderService, object>(services, async s => await s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", OrderSide.Sell.Value, 50m, 1_000)));
        var traders = new List<(Guid UserId, Guid EntityId)>();
        for (var i = 0; i < 8; i++)
        {
            traders.Add(await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 100_000m, ["EUA"] = 100 }));
        }

        var totals = await Market.TotalsAsync(postgres);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s => s.PlaceClientOrderAsync(
                traders[i % traders.Count].UserId,
                i % 2 == 0 ? Market.Order("EUA", OrderSide.Buy.Value, 50m, 1) : Market.Order("EUA", OrderSide.Sell.Value, 70m, 1))))));

        Assert.Equal(200, results.Select(r => r.TicketId).Distinct().Count());
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal("FILLED", r.Value.Order.Status));
        Assert.Equal(200L, await TestDatabase.ScalarAsync<long>(postgres,
            "SELECT count(*) FROM ticket_logs WHERE status = 'SUCCESS' AND action_type = 'ORDER_PLACED' AND ticket_id = ANY(@p0)",
            (object)results.Select(r => r.TicketId).ToArray()));
        Assert.Equal(100L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM cash_market_trades"));
        Assert.Equal(totals, await Market.TotalsAsync(postgres));
        await Market.AssertBooksUncrossedAsync(postgres);
        await Market.AssertFillsMatchTradesAsync(postgres);
        await Market.AssertReconciledAsync(services);
    });

    [Fact]
    public Task A_committed_batch_reports_its_size_its_time_and_both_round_trips_to_operators() => InFreshDatabaseAsync(async (postgres, services) =>
    {
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 10 });
        var buyer = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = 1_000m });
        var batch = new[]
        {
            await PendingAsync(services, "CEA", mm, mm, OrderSide.Sell.Value, 50m, 10),
            await PendingAsync(services, "CEA", buyer.EntityId, null, OrderSide.Buy.Value, 50m, 4),
        };

        // Histograms are process-wide and other tests place orders at the same time: only this flow's batch counts.
        var mine = new AsyncLocal<bool> { Value = true };
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, (double Value, string? Certificate)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OrderMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(System.Diagnostics.Metrics.Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (mine.Value)
            {
                seen[instrument.Name] = (value, tags.ToArray().SingleOrDefault(t => t.Key == "certificate_type").Value as string);
            }
        }

        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        Assert.True(await Processor(services).RunAsync(CertificateType.Cea, batch));
        Assert.Equal("FILLED", (await batch[1].Completion.Task).Value.Order.Status);

        Assert.Equal((2.0, "CEA"), seen["marketmakers.orders.batch_size"]);
        var (total, read, write) = (seen["marketmakers.orders.batch_duration"].Value,
            seen["marketmakers.orders.batch_read_duration"].Value, seen["marketmakers.orders.batch_write_duration"].Value);
        Assert.True(read > 0 && write > 0, $"read {read} ms, write {write} ms");
        Assert.True(read + write <= total, $"read {read} + write {write} > batch {total} ms");
    });

}
