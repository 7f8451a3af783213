using System.Diagnostics;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Statements;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 17 "as_of at 1k versus 1M rows": <see cref="StatementService.BalancesAsOfAsync"/> for a holder with 1k and one
/// with 1M balance-history rows (generated with SQL, spread over a year), each read at random instants inside its
/// history, interleaved. The read is one index seek per asset, so the ratio should stay near 1.
/// </summary>
internal static class AsOfScenario
{
    private const int Small = 1_000;
    private static readonly int Large = Machine.PositiveSetting("MM_BENCH_ASOF_ROWS", 1_000_000);
    private const int Reads = 2_000;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("asof");
        await using var services = db.BuildServices();
        Guid small, large;
        await using (var scope = services.CreateAsyncScope())
        {
            var mms = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
            small = (await mms.CreateAsync(CreateMarketMaker.Parse("Small history", "small@bench.local", null, new Dictionary<string, decimal> { ["EUR"] = 1m }))).Value.Id;
            large = (await mms.CreateAsync(CreateMarketMaker.Parse("Large history", "large@bench.local", null, new Dictionary<string, decimal> { ["EUR"] = 1m }))).Value.Id;
        }

        var start = Stopwatch.GetTimestamp();
        foreach (var (holder, rows) in new[] { (small, Small), (large, Large) })
        {
            // Spread over the last 365 days, oldest first, as a year of activity would leave it.
            await db.ExecuteAsync($"""
                INSERT INTO balance_history (holder_id, asset, available, locked, changed_at)
                SELECT '{holder}', (ARRAY['EUR','EUA','CEA'])[1 + g % 3], g, g % 7, now() - interval '365 days' + (g * (365.0 * 86400 / {rows})) * interval '1 second'
                FROM generate_series(1, {rows}) AS g;
                ANALYZE balance_history;
                """);
        }

        var generated = Stopwatch.GetElapsedTime(start);
        Machine.PrintHeader($"workload: holder A {Small:N0} balance-history rows, holder B {Large:N0} (generated in {generated.TotalSeconds:F0} s), over one year; {Reads:N0} as_of reads each at random instants, interleaved, after 200 warm-up reads");

        await using var readScope = services.CreateAsyncScope();
        var statements = readScope.ServiceProvider.GetRequiredService<StatementService>();
        var random = new Random(17);
        DateTimeOffset Instant() => DateTimeOffset.UtcNow.AddDays(-random.Next(1, 365)).AddSeconds(random.Next(0, 86_400));
        for (var i = 0; i < 200; i++)
        {
            await statements.BalancesAsOfAsync(i % 2 == 0 ? small : large, Instant());
        }

        var a = new double[Reads];
        var b = new double[Reads];
        for (var i = 0; i < Reads; i++)
        {
            a[i] = await TimeAsync(() => statements.BalancesAsOfAsync(small, Instant()));
            b[i] = await TimeAsync(() => statements.BalancesAsOfAsync(large, Instant()));
        }

        Array.Sort(a);
        Array.Sort(b);
        var ratio = Percentiles.Of(b, 50) / Percentiles.Of(a, 50);
        Console.WriteLine();
        Console.WriteLine("| metric | 1k rows | 1M rows | ratio (1M / 1k) | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| balances as_of p50 ms | {Percentiles.Of(a, 50):F3} | {Percentiles.Of(b, 50):F3} | {ratio:F2} | <= 1.2 |");
        Console.WriteLine($"| balances as_of p95 ms | {Percentiles.Of(a, 95):F3} | {Percentiles.Of(b, 95):F3} | {Percentiles.Of(b, 95) / Percentiles.Of(a, 95):F2} | |");
        Console.WriteLine($"target ratio <= 1.2: {Machine.Verdict(ratio <= 1.2)}; load average at end {Machine.LoadAverage()}");
        return 0;
    }

    private static async Task<double> TimeAsync(Func<Task> read)
    {
        var t0 = Stopwatch.GetTimestamp();
        await read();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
