using System.Diagnostics;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 6, rows 2–4: durable placement through the Core <see cref="OrderService"/> (full auditing, sealer running) at
/// concurrency 1, 8 and 32 on one certificate type (EUA), half the orders crossing; in the same run a hand-written
/// Npgsql baseline (<see cref="RawSqlPlacement"/>) that queues and batches orders the same way and issues the same
/// statements per batch (OrderBatchWriter's own SQL text included), and the service path with ticket inserts
/// suppressed. At the end the ledger is reconciled over everything both paths wrote.
/// Workload: a Market Maker rests one deep SELL (1,000,000 @ 100.00). Each worker alternates BUY 1 @ 100.00 (crosses
/// that ask: one fill, one trade, one TRADE_EXECUTED ticket) and SELL 1 @ 200.00 (rests; no bid ever reaches 200).
/// </summary>
internal static class PlacementScenario
{
    private static readonly int[] Levels = [1, 8, 32];
    private const int Rounds = 3;

    private static int OrdersAt(int concurrency) => concurrency switch
    {
        1 => Machine.PositiveSetting("MM_BENCH_PLACEMENT_C1", 600),
        8 => Machine.PositiveSetting("MM_BENCH_PLACEMENT_C8", 2400),
        _ => Machine.PositiveSetting("MM_BENCH_PLACEMENT_C32", 18000),
    };

    private static int WarmUpAt(int concurrency) => Math.Max(concurrency * 4, OrdersAt(concurrency) / (Rounds * 3));

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("placement");
        var allocator = (TimedTicketIdAllocator?)null;
        await using var services = db.BuildServices(s =>
        {
            s.AddSingleton<ITicketIdAllocator>(sp => allocator = new TimedTicketIdAllocator(ActivatorUtilities.CreateInstance<TicketIdAllocator>(sp)));
        });
        var ids = services.GetRequiredService<ITicketIdAllocator>();

        var market = await PlacementMarket.SeedAsync(services, Levels.Max());
        var traders = market.Traders;

        // The sealer runs in the background throughout, as in the app.
        var sealer = services.GetRequiredService<TicketSealer>();
        using var sealing = new TicketSealingService(sealer, NullLogger<TicketSealingService>.Instance);
        await sealing.StartAsync(CancellationToken.None);

        await TicketSuppression.InstallAsync(db.ConnectionString);
        // Both diagnostic switches (ADR 0009, fifth pass) are announced in the header, so that no table printed with
        // one of them on can pass for a measurement of the product.
        await TicketSuppression.ApplyExperimentAsync(db);
        await using var baseline = new RawSqlPlacement(db.ConnectionString, ids, market.MarketMaker);
        Machine.PrintHeader($"workload: EUA only, MM ask 1,000,000 @ 100.00; {traders.Count} funded traders; each worker alternates BUY 1 @ 100.00 (crosses, 1 fill) and SELL 1 @ 200.00 (rests); orders per variant and level: " +
            string.Join(", ", Levels.Select(c => $"c{c}={OrdersAt(c) / Rounds * Rounds}")) + $", in {Rounds} interleaved rounds; a variant's time runs until its tickets are sealed; every variant warms up untimed first");

        // Warm-up of every variant (pools, EF model, prepared plans) until the JIT is done: tiered compilation recompiles
        // hot methods in the background only once start-up quietens, and when that came during the first timed round it
        // cost that round about 2 s of CPU (5,000 methods), always on the same variant. A long-running server pays it once.
        var (warmUps, jitted) = (0, 0L);
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await WarmUpAsync(db, services, sealer, baseline, market, 32, 600);
            await Task.Delay(250);
            jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        }
        while (++warmUps < 12 && jitted > 25);

        Console.WriteLine($"warm-up: {warmUps} rounds of every variant at c=32 until the JIT settled (last round compiled {jitted} methods)");

        var results = new List<PlacementResult>();
        var roundRatios = new Dictionary<int, string>();
        long allocations = 0;
        (long Batches, long Orders) baselineBatches = default;
        double allocationMs = 0;
        // Each level runs in Rounds rounds, every round placing n / Rounds orders with each variant in a rotated
        // order, so drift in the machine's load (other test suites share it) hits all three variants alike.
        string[] variants = ["app, auditing on", "raw-SQL baseline", "app, auditing off"];
        foreach (int c in Levels)
        {
            int n = OrdersAt(c) / Rounds;
            var runs = variants.ToDictionary(v => v, _ => new List<PlacementResult>());
            var profiled = c == Levels[^1];
            if (profiled)
            {
                allocator?.Reset();
                baseline.TakeCounts();
            }

            // Untimed, every variant at this level first, so that no variant's first round pays alone for the pools and the
            // GC adapting to the new concurrency.
            await WarmUpAsync(db, services, sealer, baseline, market, c, WarmUpAt(c));

            for (int round = 0; round < Rounds; round++)
            {
                for (int j = 0; j < variants.Length; j++)
                {
                    var variant = variants[(j + round) % variants.Length];
                    PlacementResult r;
                    if (profiled)
                    {
                        PerfControl.Switch(variant, true);
                    }

                    var cpu = CpuMeter.Start();
                    if (variant == "raw-SQL baseline")
                    {
                        r = await market.BaselineRunAsync(baseline, c, n);
                    }
                    else
                    {
                        await TicketSuppression.SetAsync(db.ConnectionString, variant == "app, auditing off" && !TicketSuppression.SameVariantTwice);
                        BatchListener.Instance.Variant = profiled ? variant : null;
                        var appAllocations = allocator?.Count ?? 0;
                        var appAllocationMs = allocator?.TotalMs ?? 0;
                        r = await market.AppRunAsync(services, c, n, variant);
                        BatchListener.Instance.Variant = null;
                        await TicketSuppression.SetAsync(db.ConnectionString, false);
                        if (profiled && variant == "app, auditing on")
                        {
                            allocations += (allocator?.Count ?? 0) - appAllocations;
                            allocationMs += (allocator?.TotalMs ?? 0) - appAllocationMs;
                        }
                    }

                    // The variant's time runs until its tickets are sealed too ("with tickets and sealing on"): otherwise the
                    // sealing it caused would be done during, and charged to, whichever variant ran next.
                    var tail = await SealAllAsync(db, sealer);
                    r = r with { Seconds = r.Seconds + tail, SealSeconds = tail };
                    var (machineCpu, processCpu) = cpu.Stop();
                    if (profiled)
                    {
                        PerfControl.Switch(variant, false);
                    }

                    runs[variant].Add(r with { MachineCpuSeconds = machineCpu, ProcessCpuSeconds = processCpu });
                }

            }

            if (profiled)
            {
                baselineBatches = baseline.TakeCounts();
            }

            foreach (var v in variants)
            {
                results.Add(PlacementResult.Combine(runs[v]));
            }

            // Each round's own ratio shows how far this VM's noise moves a single comparison.
            roundRatios[c] = string.Join(" / ", Enumerable.Range(0, Rounds).Select(
                round => (runs["app, auditing on"][round].Rate / runs["app, auditing off"][round].Rate).ToString("F2")));
        }

        await sealing.StopAsync(CancellationToken.None);
        var unsealed = await db.ScalarAsync<long>(UnsealedSql);
        var trades = await db.ScalarAsync<long>("SELECT count(*) FROM cash_market_trades");
        var ledger = await PlacementLedgerCheck.RunAsync(db);
        PlacementReport.Print(results, roundRatios, Levels, trades, unsealed, ledger, (allocations, allocationMs), baselineBatches);
        return 0;
    }

    private static async Task WarmUpAsync(
        BenchDatabase db, IServiceProvider services, TicketSealer sealer, RawSqlPlacement baseline, PlacementMarket market, int c, int n)
    {
        await market.AppRunAsync(services, c, n, "warm-up");
        await market.BaselineRunAsync(baseline, c, n);
        await TicketSuppression.SetAsync(db.ConnectionString, true);
        await market.AppRunAsync(services, c, n, "warm-up");
        await TicketSuppression.SetAsync(db.ConnectionString, false);
        await SealAllAsync(db, sealer);
    }

    private const string UnsealedSql = "SELECT count(*) FROM ticket_seal_queue";

    /// <summary>Seals every committed ticket, alongside the background sealer; returns the seconds it took.</summary>
    private static async Task<double> SealAllAsync(BenchDatabase db, TicketSealer sealer)
    {
        var start = Stopwatch.GetTimestamp();
        while (await db.ScalarAsync<long>(UnsealedSql) > 0)
        {
            // 0 while the background service's pass holds the sealing lock; then the loop waits for that pass.
            if (await sealer.SealPendingAsync() == 0)
            {
                await Task.Delay(1);
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

}
