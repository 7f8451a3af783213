using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 16 "Benchmark": the placement workload (<see cref="PlacementMarket"/>: BUY 1 @ 100.00 crossing a deep MM ask,
/// SELL 1 @ 200.00 resting) through the Core <see cref="OrderService"/> with the market checks on (the batch reads the
/// market row in its first round trip and admits every order against the halt and the limits) and off
/// (<see cref="OrderSequencerOptions.MarketChecks"/> false: no market row, nothing checked), in one run, in rotated
/// rounds on one database. The limits are set so that every order passes (collar 100 %: 200.00 is at the edge), so
/// both variants do the same work apart from the checks. MM_BENCH_PLACEMENT_SAME=1 runs "off" with the checks on
/// too: an A/A comparison that shows this machine's noise.
/// </summary>
internal static class PlacementLimitsScenario
{
    private static readonly int[] Levels = [8, 32];
    private const int Rounds = 5;
    private static readonly string[] Variants = ["limits on", "limits off"];

    private static int OrdersAt(int concurrency) => concurrency == 8
        ? Machine.PositiveSetting("MM_BENCH_LIMITS_C8", 2000)
        : Machine.PositiveSetting("MM_BENCH_LIMITS_C32", 6000);

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("placement_limits");
        var same = Environment.GetEnvironmentVariable("MM_BENCH_PLACEMENT_SAME") == "1";
        await using var on = db.BuildServices();
        await using var off = db.BuildServices(s => s.Configure<OrderSequencerOptions>(o => o.MarketChecks = same));
        var market = await PlacementMarket.SeedAsync(on, Levels.Max());
        await using (var scope = on.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MarketService>().SetLimitsAsync(SetRiskLimits.Parse("EUA", 100m, null, 100_000m, 10_000_000m));
        }

        Machine.PrintHeader("workload: as `placement` (EUA; BUY 1 @ 100.00 crossing, SELL 1 @ 200.00 resting); limits collar 100 %, 100,000, 10,000,000.00 EUR (every order passes); " +
            $"{Rounds} rotated rounds per level; orders per variant and level: " + string.Join(", ", Levels.Select(c => $"c{c}={OrdersAt(c) / Rounds * Rounds}")) +
            (same ? "; EXPERIMENT MM_BENCH_PLACEMENT_SAME=1: 'limits off' checks too (A/A)" : ""));

        foreach (var c in Levels)
        {
            // Untimed warm-up of both providers at this level (pools, JIT, plans).
            await market.AppRunAsync(on, c, c * 20, "warm-up");
            await market.AppRunAsync(off, c, c * 20, "warm-up");
        }

        Console.WriteLine();
        Console.WriteLine("| concurrency | limits on: orders/s, p50 / p99 ms | limits off: orders/s, p50 / p99 ms | on / off | by round |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var c in Levels)
        {
            var n = OrdersAt(c) / Rounds;
            var runs = Variants.ToDictionary(v => v, _ => new List<PlacementResult>());
            for (var round = 0; round < Rounds; round++)
            {
                for (var j = 0; j < Variants.Length; j++)
                {
                    var variant = Variants[(j + round) % Variants.Length];
                    runs[variant].Add(await market.AppRunAsync(variant == "limits on" ? on : off, c, n, variant));
                }
            }

            var (a, b) = (PlacementResult.Combine(runs["limits on"]), PlacementResult.Combine(runs["limits off"]));
            var byRound = string.Join(" / ", Enumerable.Range(0, Rounds).Select(r => (runs["limits on"][r].Rate / runs["limits off"][r].Rate).ToString("F2")));
            Console.WriteLine($"| {c} | {a.Rate:N0}, {a.P50:F1} / {a.P99:F1} | {b.Rate:N0}, {b.P50:F1} / {b.P99:F1} | {a.Rate / b.Rate:F2} | {byRound} |");
        }

        Console.WriteLine($"load average (1/5/15 min) at end: {Machine.LoadAverage()}");
        return 0;
    }
}
