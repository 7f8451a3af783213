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

    internal sealed record Result(string Variant, int Concurrency, int Orders, double Seconds, double[] Latencies)
    {
        /// <summary>CPU time of the whole machine (app, PostgreSQL, Redis, sealer) while the variant ran; 0 if unknown.</summary>
        public double MachineCpuSeconds { get; init; }

        /// <summary>CPU time of this process (the app's services, the sealer and the load generator).</summary>
        public double ProcessCpuSeconds { get; init; }

        /// <summary>Of <see cref="Seconds"/>, the time after the last order until every ticket was sealed.</summary>
        public double SealSeconds { get; init; }

        public double MachineCpuUsPerOrder => MachineCpuSeconds * 1e6 / Orders;

        public double ProcessCpuUsPerOrder => ProcessCpuSeconds * 1e6 / Orders;

        public double Rate => Orders / Seconds;

        public double P50 => Percentiles.Of(Latencies, 50);

        public double P99 => Percentiles.Of(Latencies, 99);
    }

    private static Result Combine(List<Result> runs)
    {
        double[] all = [.. runs.SelectMany(r => r.Latencies).Order()];
        return new Result(runs[0].Variant, runs[0].Concurrency, runs.Sum(r => r.Orders), runs.Sum(r => r.Seconds), all)
        {
            MachineCpuSeconds = runs.Sum(r => r.MachineCpuSeconds),
            ProcessCpuSeconds = runs.Sum(r => r.ProcessCpuSeconds),
            SealSeconds = runs.Sum(r => r.SealSeconds),
        };
    }

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

        // Market: one MM with a deep ask, 32 funded traders (one per worker).
        var mm = await With<MarketMakerService, Guid>(services, async s => (await s.CreateAsync(CreateMarketMaker.Parse(
            "Bench MM", "mm@bench.local", null, new Dictionary<string, decimal> { [Assets.Eua] = 1_000_000m }))).Value.Id);
        await With<OrderService, object?>(services, async s =>
        {
            await s.PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm), new OrderTerms(CertificateType.Eua, OrderSide.Sell, Price.Parse(100m), Quantity.Parse(1_000_000m))));
            return null;
        });
        var traders = new List<(Guid UserId, Guid EntityId)>();
        for (int i = 0; i < Levels.Max(); i++)
        {
            var user = await With<ClientService, ClientUserView>(services, async s => (await s.CreateUserAsync(CreateClientUser.Parse(
                $"trader{i}@bench.local", "Bench-Trader-Passw0rd", "Bench", $"Trader{i}", Roles.Funded, $"Bench entity {i}"))).Value);
            foreach (var (asset, amount) in new[] { (Assets.Eur, 100_000_000m), (Assets.Eua, 1_000_000m) })
            {
                await With<LedgerMovementService, object?>(services, async s =>
                {
                    var holder = new LedgerHolder.ClientUser(new UserId(user.Id));
                    await s.MoveAsync(MoveAssets.Create(holder, MovementType.Deposit, Amount.Parse(Asset.Parse(asset), amount), "bench funding"));
                    return null;
                });
            }

            traders.Add((user.Id, user.EntityId!.Value));
        }

        // The sealer runs in the background throughout, as in the app.
        var sealer = services.GetRequiredService<TicketSealer>();
        using var sealing = new TicketSealingService(sealer, NullLogger<TicketSealingService>.Instance);
        await sealing.StartAsync(CancellationToken.None);

        await TicketSuppression.InstallAsync(db.ConnectionString);
        // Both diagnostic switches (ADR 0009, fifth pass) are announced in the header, so that no table printed with
        // one of them on can pass for a measurement of the product.
        await TicketSuppression.ApplyExperimentAsync(db);
        await using var baseline = new RawSqlPlacement(db.ConnectionString, ids, mm);
        Machine.PrintHeader($"workload: EUA only, MM ask 1,000,000 @ 100.00; {traders.Count} funded traders; each worker alternates BUY 1 @ 100.00 (crosses, 1 fill) and SELL 1 @ 200.00 (rests); orders per variant and level: " +
            string.Join(", ", Levels.Select(c => $"c{c}={OrdersAt(c) / Rounds * Rounds}")) + $", in {Rounds} interleaved rounds; a variant's time runs until its tickets are sealed; every variant warms up untimed first");

        // Warm-up of every variant (pools, EF model, prepared plans) until the JIT is done: tiered compilation recompiles
        // hot methods in the background only once start-up quietens, and when that came during the first timed round it
        // cost that round about 2 s of CPU (5,000 methods), always on the same variant. A long-running server pays it once.
        var (warmUps, jitted) = (0, 0L);
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await WarmUpAsync(db, services, sealer, baseline, traders, 32, 600);
            await Task.Delay(250);
            jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        }
        while (++warmUps < 12 && jitted > 25);

        Console.WriteLine($"warm-up: {warmUps} rounds of every variant at c=32 until the JIT settled (last round compiled {jitted} methods)");

        var results = new List<Result>();
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
            var runs = variants.ToDictionary(v => v, _ => new List<Result>());
            var profiled = c == Levels[^1];
            if (profiled)
            {
                allocator?.Reset();
                baseline.TakeCounts();
            }

            // Untimed, every variant at this level first, so that no variant's first round pays alone for the pools and the
            // GC adapting to the new concurrency.
            await WarmUpAsync(db, services, sealer, baseline, traders, c, WarmUpAt(c));

            for (int round = 0; round < Rounds; round++)
            {
                for (int j = 0; j < variants.Length; j++)
                {
                    var variant = variants[(j + round) % variants.Length];
                    Result r;
                    if (profiled)
                    {
                        PerfControl.Switch(variant, true);
                    }

                    var cpu = CpuMeter.Start();
                    if (variant == "raw-SQL baseline")
                    {
                        r = await BaselineRunAsync(baseline, traders, c, n);
                    }
                    else
                    {
                        await TicketSuppression.SetAsync(db.ConnectionString, variant == "app, auditing off" && !TicketSuppression.SameVariantTwice);
                        BatchListener.Instance.Variant = profiled ? variant : null;
                        var appAllocations = allocator?.Count ?? 0;
                        var appAllocationMs = allocator?.TotalMs ?? 0;
                        r = await AppRunAsync(services, traders, c, n, variant);
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
                results.Add(Combine(runs[v]));
            }

            // Each round's own ratio shows how far this VM's noise moves a single comparison.
            roundRatios[c] = string.Join(" / ", Enumerable.Range(0, Rounds).Select(
                round => (runs["app, auditing on"][round].Rate / runs["app, auditing off"][round].Rate).ToString("F2")));
        }

        await sealing.StopAsync(CancellationToken.None);
        var unsealed = await db.ScalarAsync<long>(UnsealedSql);

        var trades = await db.ScalarAsync<long>("SELECT count(*) FROM cash_market_trades");
        var (ledgerOff, lockedOff, unfilledBuys) = await PlacementLedgerCheck.RunAsync(db);

        Console.WriteLine();
        Console.WriteLine("| variant | concurrency | orders | orders/s | p50 ms | p99 ms | CPU µs/order: machine / this process |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Variant} | {r.Concurrency} | {r.Orders:N0} | {r.Rate:N0} | {r.P50:F1} | {r.P99:F1} | {r.MachineCpuUsPerOrder:N0} / {r.ProcessCpuUsPerOrder:N0} |");
        }

        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        foreach (int c in Levels)
        {
            var on = results.Single(r => r.Concurrency == c && r.Variant == "app, auditing on");
            var raw = results.Single(r => r.Concurrency == c && r.Variant == "raw-SQL baseline");
            var off = results.Single(r => r.Concurrency == c && r.Variant == "app, auditing off");
            var headline = c == Levels[^1];
            Console.WriteLine($"| c={c}: app orders/s, p50 / p99 | {on.Rate:N0}/s, {on.P50:F1} / {on.P99:F1} ms | {(headline ? ">= 1,000/s, p99 <= 50 ms" : "")} |");
            Console.WriteLine($"| c={c}: app / raw-SQL baseline | {on.Rate / raw.Rate:F2} ({on.Rate:N0} / {raw.Rate:N0}) | >= 0.5 |");
            Console.WriteLine($"| c={c}: auditing on / off | {on.Rate / off.Rate:F2} ({on.Rate:N0} / {off.Rate:N0}); by round {roundRatios[c]} | >= 0.95 |");
            Console.WriteLine($"| c={c}: machine CPU per order, auditing on / off | {on.MachineCpuUsPerOrder / Math.Max(1, off.MachineCpuUsPerOrder):F2} ({on.MachineCpuUsPerOrder:N0} / {off.MachineCpuUsPerOrder:N0} µs) | |");
        }

        Console.WriteLine($"| trades written / tickets left unsealed at end | {trades:N0} / {unsealed:N0} | |");
        Console.WriteLine($"| ledger: balances whose available != sum of their ledger rows / whose locked != open orders' locks | {ledgerOff:N0} / {lockedOff:N0} | 0 / 0 |");
        Console.WriteLine($"| client BUYs (all cross the MM ask) not FILLED | {unfilledBuys:N0} | 0 |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | |");

        var top = Levels[^1];
        var h = results.Single(r => r.Concurrency == top && r.Variant == "app, auditing on");
        var hr = results.Single(r => r.Concurrency == top && r.Variant == "raw-SQL baseline");
        var ho = results.Single(r => r.Concurrency == top && r.Variant == "app, auditing off");
        Console.WriteLine();
        Console.WriteLine($"target >= 1,000 orders/s at c={top}: {Machine.Verdict(h.Rate >= 1000)}; p99 <= 50 ms: {Machine.Verdict(h.P99 <= 50)}");
        Console.WriteLine($"target app >= 0.5 x baseline (c={top}): {Machine.Verdict(h.Rate >= 0.5 * hr.Rate)}");
        Console.WriteLine($"target auditing on >= 0.95 x off (c={top}): {Machine.Verdict(h.Rate >= 0.95 * ho.Rate)}");

        // Profile of the headline run: the batches (one transaction and two PostgreSQL round trips each) and the Redis calls,
        // with auditing on and off side by side, so the round trip that auditing lengthens shows.
        int orders = h.Orders;
        var bOn = BatchListener.Instance.Summary(h.Variant);
        var bOff = BatchListener.Instance.Summary(ho.Variant);
        Console.WriteLine();
        Console.WriteLine($"profile at c={top} ({orders:N0} orders per variant):");
        Console.WriteLine("| step | auditing on | auditing off |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| order batches: count / mean orders per batch | {bOn.Batches:N0} / {bOn.MeanSize:F1} | {bOff.Batches:N0} / {bOff.MeanSize:F1} |");
        Console.WriteLine($"| batch time mean, p99 | {bOn.MeanMs:F2}, {bOn.P99Ms:F2} ms | {bOff.MeanMs:F2}, {bOff.P99Ms:F2} ms |");
        Console.WriteLine($"| of which round trip 1 (lock + reads) / round trip 2 (writes, tickets, COMMIT), mean | {bOn.ReadMs:F2} / {bOn.WriteMs:F2} ms | {bOff.ReadMs:F2} / {bOff.WriteMs:F2} ms |");
        Console.WriteLine($"| serialized ceiling = mean orders per batch x 1000 / mean batch time | {bOn.MeanSize * 1000 / Math.Max(0.001, bOn.MeanMs):N0} orders/s | {bOff.MeanSize * 1000 / Math.Max(0.001, bOff.MeanMs):N0} orders/s |");
        Console.WriteLine($"| busy share of the 2 cores (machine CPU x orders/s) | {h.MachineCpuUsPerOrder * h.Rate / 1e6 / Environment.ProcessorCount:P0} | {ho.MachineCpuUsPerOrder * ho.Rate / 1e6 / Environment.ProcessorCount:P0} |");
        Console.WriteLine($"| time after the last order until every ticket was sealed | {h.SealSeconds * 1000:N0} ms of {h.Seconds:F1} s | {ho.SealSeconds * 1000:N0} ms of {ho.Seconds:F1} s |");
        Console.WriteLine($"| PostgreSQL round trips / order: 2 per batch (the role check rides in the first) | {2.0 / Math.Max(1, bOn.MeanSize):F2} | {2.0 / Math.Max(1, bOff.MeanSize):F2} |");
        Console.WriteLine($"| Redis calls (ticket ids) / order, ms / order | {(double)allocations / orders:F2}, {allocationMs / orders:F2} | |");
        Console.WriteLine($"| raw-SQL baseline batches at c={top}: count / mean orders per batch (the same 2 round trips each) | " +
            $"{baselineBatches.Batches:N0} / {(double)baselineBatches.Orders / Math.Max(1, baselineBatches.Batches):F1} | |");

        return 0;
    }

    private static async Task WarmUpAsync(
        BenchDatabase db, IServiceProvider services, TicketSealer sealer, RawSqlPlacement baseline, List<(Guid UserId, Guid EntityId)> traders, int c, int n)
    {
        await AppRunAsync(services, traders, c, n, "warm-up");
        await BaselineRunAsync(baseline, traders, c, n);
        await TicketSuppression.SetAsync(db.ConnectionString, true);
        await AppRunAsync(services, traders, c, n, "warm-up");
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

    private static async Task<T> With<TService, T>(IServiceProvider services, Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static readonly OrderTerms Bid = new(CertificateType.Eua, OrderSide.Buy, Price.Parse(100m), Quantity.Parse(1m));
    private static readonly OrderTerms Ask = new(CertificateType.Eua, OrderSide.Sell, Price.Parse(200m), Quantity.Parse(1m));

    private static OrderTerms OrderFor(long k) => k % 2 == 0 ? Bid : Ask;

    private static Task<Result> AppRunAsync(IServiceProvider services, List<(Guid UserId, Guid EntityId)> traders, int concurrency, int orders, string variant) =>
        DriveAsync(variant, concurrency, orders, async (worker, k) =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderService>().PlaceClientOrderAsync(new PlaceClientOrder(new UserId(traders[worker].UserId), OrderFor(k)));
        });

    private static Task<Result> BaselineRunAsync(RawSqlPlacement baseline, List<(Guid UserId, Guid EntityId)> traders, int concurrency, int orders) =>
        DriveAsync("raw-SQL baseline", concurrency, orders, (worker, k) =>
            baseline.PlaceAsync(traders[worker].UserId, traders[worker].EntityId, k % 2 == 0));

    /// <summary>Closed loop: <paramref name="concurrency"/> workers take the next order number until all are placed.</summary>
    private static async Task<Result> DriveAsync(string variant, int concurrency, int orders, Func<int, long, Task> place)
    {
        var latencies = new double[orders];
        long next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < orders)
            {
                var t0 = Stopwatch.GetTimestamp();
                await place(worker, k);
                latencies[k] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        return new Result(variant, concurrency, orders, seconds, latencies);
    }
}
