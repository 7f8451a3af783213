using System.Diagnostics;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>Issue 6, row 5: LedgerService.GetBalancesAsync for a holder with 1k vs 1M ledger rows (rows generated with SQL).</summary>
internal static class BalanceScenario
{
    private const int Small = 1_000;
    private const int Large = 1_000_000;
    private const int Reads = 2_000;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("balance");
        await using var services = db.BuildServices();
        Guid small, large;
        await using (var scope = services.CreateAsyncScope())
        {
            var mms = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
            small = (await mms.CreateAsync(CreateMarketMaker.Parse("Small ledger", "small@bench.local", null, new Dictionary<string, decimal> { ["EUR"] = 1m }))).Value.Id;
            large = (await mms.CreateAsync(CreateMarketMaker.Parse("Large ledger", "large@bench.local", null, new Dictionary<string, decimal> { ["EUR"] = 1m }))).Value.Id;
        }

        var start = Stopwatch.GetTimestamp();
        foreach (var (holder, rows) in new[] { (small, Small), (large, Large) })
        {
            await db.ExecuteAsync($"""
                SET session_replication_role = replica;
                INSERT INTO asset_transactions (ticket_id, holder_id, asset, transaction_type, amount, balance_after, notes, created_by, created_at)
                SELECT 'TKT-2026-' || lpad(g::text, 7, '0'), '{holder}', (ARRAY['EUR','EUA','CEA'])[1 + g % 3], 'DEPOSIT', 1, g, 'generated', NULL,
                       now() - (g || ' seconds')::interval
                FROM generate_series(1, {rows - 1}) AS g;
                SET session_replication_role = origin;
                ANALYZE asset_transactions;
                """);
        }

        var generated = Stopwatch.GetElapsedTime(start);
        var counts = await db.ScalarAsync<long>($"SELECT count(*) FROM asset_transactions WHERE holder_id = '{large}'");
        Machine.PrintHeader($"workload: holder A {Small:N0} ledger rows, holder B {counts:N0} ledger rows (generated in {generated.TotalSeconds:F0} s); {Reads:N0} reads each, interleaved, after 200 warm-up reads");

        var ledger = services.CreateScope().ServiceProvider.GetRequiredService<LedgerService>();
        for (int i = 0; i < 200; i++)
        {
            await ledger.GetBalancesAsync(i % 2 == 0 ? small : large);
        }

        var a = new double[Reads];
        var b = new double[Reads];
        for (int i = 0; i < Reads; i++)
        {
            a[i] = await TimeAsync(() => ledger.GetBalancesAsync(small));
            b[i] = await TimeAsync(() => ledger.GetBalancesAsync(large));
        }

        var ha = new double[50];
        var hb = new double[50];
        for (int i = 0; i < 50; i++)
        {
            ha[i] = await TimeAsync(() => ledger.GetHistoryAsync(small, null, new PageRequest(50, 0)));
            hb[i] = await TimeAsync(() => ledger.GetHistoryAsync(large, null, new PageRequest(50, 0)));
        }

        Array.Sort(a);
        Array.Sort(b);
        Array.Sort(ha);
        Array.Sort(hb);
        var ratioMedian = Percentiles.Of(b, 50) / Percentiles.Of(a, 50);
        var ratioMean = b.Average() / a.Average();
        Console.WriteLine();
        Console.WriteLine("| metric | 1k rows | 1M rows | ratio (1M / 1k) | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| balance read (GetBalancesAsync) p50 ms | {Percentiles.Of(a, 50):F3} | {Percentiles.Of(b, 50):F3} | {ratioMedian:F2} | <= 1.2 |");
        Console.WriteLine($"| balance read mean ms | {a.Average():F3} | {b.Average():F3} | {ratioMean:F2} | <= 1.2 |");
        Console.WriteLine($"| balance read p99 ms | {Percentiles.Of(a, 99):F3} | {Percentiles.Of(b, 99):F3} | {Percentiles.Of(b, 99) / Percentiles.Of(a, 99):F2} | |");
        Console.WriteLine($"| (context) history first page of 50 (GetHistoryAsync, incl. count) p50 ms | {Percentiles.Of(ha, 50):F1} | {Percentiles.Of(hb, 50):F1} | {Percentiles.Of(hb, 50) / Percentiles.Of(ha, 50):F2} | |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | | | |");
        Console.WriteLine();
        Console.WriteLine($"target balance read ratio <= 1.2 (p50): {Machine.Verdict(ratioMedian <= 1.2)}");
        return 0;
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var start = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
