using System.Diagnostics;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 6, row 6: TicketQueries.SearchAsync per single filter and TicketStatistics.ComputeAsync over 1M tickets
/// (MM_BENCH_SEARCH_TICKETS changes the count, to see how each filter scales).
/// </summary>
internal static class SearchScenario
{
    private static readonly int Tickets = Machine.PositiveSetting("MM_BENCH_SEARCH_TICKETS", 1_000_000);
    private const int Reps = 20;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("search");
        await using var services = db.BuildServices();
        var generated = await TicketGenerator.InsertAsync(db, Tickets);
        Machine.PrintHeader($"workload: {Tickets:N0} generated tickets (INSERT … SELECT generate_series, triggers off, {generated.TotalSeconds:F0} s incl. stats rollup rebuild and VACUUM ANALYZE); page of 50, {Reps} timed calls per filter after 2 warm-up calls");

        var queries = services.GetRequiredService<TicketQueries>();
        var stats = services.GetRequiredService<TicketStatistics>();
        var now = DateTimeOffset.UtcNow;
        var filters = new (string Name, TicketFilter Filter)[]
        {
            ("(no filter)", new TicketFilter()),
            ("date range (last 24 h)", new TicketFilter { DateFrom = now.AddDays(-1), DateTo = now }),
            ("action type TRADE_EXECUTED", new TicketFilter { ActionTypes = ["TRADE_EXECUTED"] }),
            ("user id", new TicketFilter { UserId = Guid.Parse("00000000-0000-4000-8000-000000000007") }),
            ("market maker id", new TicketFilter { MarketMakerId = Guid.Parse("00000000-0000-4000-9000-000000000010") }),
            ("MM actions only", new TicketFilter { MarketMakerActionsOnly = true }),
            ("status FAILED", new TicketFilter { Status = "FAILED" }),
            ("entity type trade", new TicketFilter { EntityType = "trade" }),
            ("entity id", new TicketFilter { EntityId = "c4ca4238a0b923820dcc509a6f75849b" }),
            ("search: ticket id", new TicketFilter { Search = "TKT-2026-10500000" }),
            ("search: tag", new TicketFilter { Search = "deposit" }),
            ("tag filter", new TicketFilter { Tags = ["ledger"] }),
            ("date range (one day, 20 days ago)", new TicketFilter { DateFrom = now.AddDays(-21), DateTo = now.AddDays(-20) }),
            ("tag filter, rare tag (0.5 %)", new TicketFilter { Tags = ["bulk_import"] }),
            ("search: rare tag (0.5 %)", new TicketFilter { Search = "bulk_import" }),
        };

        var rows = new List<(string Name, double P50, double P95, string Total)>();
        foreach (var (name, filter) in filters)
        {
            TicketPage? result = null;
            var t = await TimeAsync(async () => result = await queries.SearchAsync(filter, new PageRequest(50, 0)));
            rows.Add((name, t.P50, t.P95, $"{result!.Total:N0}{(result.TotalCapped ? "+ (capped)" : "")}"));
        }

        // Issue 18: two- and three-filter combinations, the zero-match ones included (the generator's modular spread makes
        // them exact: TRADE_EXECUTED is odd g, FAILED is g % 10 == 0; MM ...010 is g % 50 == 10, all FAILED; tag 'trade'
        // is g % 5 == 2, never on a Market Maker's ticket; entity 'order' never carries the tag 'place').
        var mm10 = Guid.Parse("00000000-0000-4000-9000-000000000010");
        var mm5 = Guid.Parse("00000000-0000-4000-9000-000000000005");
        var week = now.AddDays(-7);
        var combinations = new (string Name, TicketFilter Filter)[]
        {
            ("action TRADE_EXECUTED + status FAILED (0)", new TicketFilter { ActionTypes = ["TRADE_EXECUTED"], Status = "FAILED" }),
            ("action ORDER_PLACED + status FAILED", new TicketFilter { ActionTypes = ["ORDER_PLACED"], Status = "FAILED" }),
            ("search tag + market maker", new TicketFilter { Search = "order", MarketMakerId = mm10 }),
            ("search tag 'trade' + market maker (0)", new TicketFilter { Search = "trade", MarketMakerId = mm10 }),
            ("entity type order + FAILED + 7 days", new TicketFilter { EntityType = "order", Status = "FAILED", DateFrom = week, DateTo = now }),
            ("MM + FAILED + 7 days (0)", new TicketFilter { MarketMakerId = mm5, Status = "FAILED", DateFrom = week, DateTo = now }),
            ("MM ...010 + SUCCESS (0)", new TicketFilter { MarketMakerId = mm10, Status = "SUCCESS" }),
            ("entity type order + SUCCESS", new TicketFilter { EntityType = "order", Status = "SUCCESS" }),
            ("action TRADE_EXECUTED + entity type order (0)", new TicketFilter { ActionTypes = ["TRADE_EXECUTED"], EntityType = "order" }),
            ("entity type order + tag 'place' (0)", new TicketFilter { EntityType = "order", Tags = ["place"] }),
            ("entity type order + tag 'cancel'", new TicketFilter { EntityType = "order", Tags = ["cancel"] }),
            ("user + action DEPOSIT", new TicketFilter { UserId = Guid.Parse("00000000-0000-4000-8000-000000000005"), ActionTypes = ["DEPOSIT"] }),
            ("user + action TRADE_EXECUTED (0)", new TicketFilter { UserId = Guid.Parse("00000000-0000-4000-8000-000000000006"), ActionTypes = ["TRADE_EXECUTED"] }),
            ("tag 'ledger' + FAILED + 7 days (0)", new TicketFilter { Tags = ["ledger"], Status = "FAILED", DateFrom = week, DateTo = now }),
            ("action DEPOSIT + tag 'eua' + 7 days", new TicketFilter { ActionTypes = ["DEPOSIT"], Tags = ["eua"], DateFrom = week, DateTo = now }),
            ("MM + action TRADE_EXECUTED + tag (0)", new TicketFilter { MarketMakerId = mm10, ActionTypes = ["TRADE_EXECUTED"], Tags = ["order"] }),
        };
        var combined = new List<(string Name, double P50, double P95, string Total)>();
        foreach (var (name, filter) in combinations)
        {
            TicketPage? result = null;
            var t = await TimeAsync(async () => result = await queries.SearchAsync(filter, new PageRequest(50, 0)), 12);
            combined.Add((name, t.P50, t.P95, $"{result!.Total:N0}{(result.TotalCapped ? "+ (capped)" : "")}"));
        }

        var stat7 = await TimeAsync(() => stats.ComputeAsync(null, null), Reps / 2);
        var stat30 = await TimeAsync(() => stats.ComputeAsync(now.AddDays(-30), now), Reps / 2);

        Console.WriteLine();
        Console.WriteLine("| call | matching tickets | p50 ms | p95 ms | target |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| SearchAsync: {r.Name} | {r.Total} | {r.P50:F1} | {r.P95:F1} | p95 <= 50 ms: {Machine.Verdict(r.P95 <= 50)} |");
        }

        foreach (var r in combined)
        {
            Console.WriteLine($"| SearchAsync combined: {r.Name} | {r.Total} | {r.P50:F1} | {r.P95:F1} | p95 <= 50 ms: {Machine.Verdict(r.P95 <= 50)} |");
        }

        Console.WriteLine($"| ComputeAsync: default range (last 7 days) | | {stat7.P50:F1} | {stat7.P95:F1} | p95 <= 250 ms: {Machine.Verdict(stat7.P95 <= 250)} |");
        Console.WriteLine($"| ComputeAsync: last 30 days (all {Tickets:N0}) | | {stat30.P50:F1} | {stat30.P95:F1} | p95 <= 250 ms: {Machine.Verdict(stat30.P95 <= 250)} |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | | | |");
        Console.WriteLine();
        Console.WriteLine($"search filters meeting p95 <= 50 ms: {rows.Count(r => r.P95 <= 50)} of {rows.Count}");
        Console.WriteLine($"combined filters meeting p95 <= 50 ms: {combined.Count(r => r.P95 <= 50)} of {combined.Count}");
        return 0;
    }

    private static async Task<(double P50, double P95)> TimeAsync(Func<Task> call, int reps = Reps)
    {
        for (int i = 0; i < 2; i++)
        {
            await call();
        }

        var ms = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(ms);
        return (Percentiles.Of(ms, 50), Percentiles.Of(ms, 95));
    }
}
