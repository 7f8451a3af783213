using System.Diagnostics;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Obligations;
using MarketMakers.Core.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 17 "the sampler at 200 obligations, ≤ 50 ms a pass": 100 Market Makers, each with an obligation on CEA and
/// EUA and two bids and two asks resting on each (800 orders), sampled in 50 passes. The clock is stepped one slot per
/// pass, so every pass writes its 200 samples (a pass in a slot already sampled writes nothing).
/// </summary>
internal static class SamplerScenario
{
    private const int MarketMakerCount = 100;
    private const int Passes = 50;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("sampler");
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        await using var services = db.BuildServices(s => s.AddSingleton<TimeProvider>(clock));
        var seeded = Stopwatch.GetTimestamp();
        for (var i = 0; i < MarketMakerCount; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var mm = (await sp.GetRequiredService<MarketMakerService>().CreateAsync(CreateMarketMaker.Parse($"Sampler MM {i}", $"mm{i}@sampler.bench", null,
                new Dictionary<string, decimal> { ["CEA"] = 1000m, ["EUA"] = 1000m, ["EUR"] = 1_000_000m }))).Value.Id;
            foreach (var ct in new[] { "CEA", "EUA" })
            {
                // Bids below 50, asks above: nobody crosses, every MM is two-sided; odd MMs quote wider than the obligation.
                var width = i % 2 == 0 ? 0.20m : 2.00m;
                foreach (var (side, price) in new[] { ("BUY", 50m - width / 2), ("BUY", 49m), ("SELL", 50m + width / 2), ("SELL", 51m) })
                {
                    await sp.GetRequiredService<OrderService>().PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm),
                        new OrderTerms(CertificateType.Parse(ct), OrderSide.Parse(side), Price.Parse(price), Quantity.Parse(10m))));
                }

                await sp.GetRequiredService<ObligationService>().SetAsync(SetObligation.Parse(mm.ToString(), ct, 1.00m, 10m, 85m, true));
            }
        }

        Machine.PrintHeader($"workload: {MarketMakerCount} MMs x CEA/EUA = {MarketMakerCount * 2} obligations, {MarketMakerCount * 8} resting MM orders " +
            $"(seeded in {Stopwatch.GetElapsedTime(seeded).TotalSeconds:F0} s); {Passes} passes, one slot each, after 5 warm-up passes");
        var sampler = services.GetRequiredService<ObligationSampler>();
        for (var i = 0; i < 5; i++)
        {
            clock.Step(TimeSpan.FromSeconds(10));
            await sampler.SampleAsync();
        }

        var ms = new double[Passes];
        var written = 0;
        for (var i = 0; i < Passes; i++)
        {
            clock.Step(TimeSpan.FromSeconds(10));
            var t0 = Stopwatch.GetTimestamp();
            written += (await sampler.SampleAsync()).Samples;
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        Array.Sort(ms);
        var present = await db.ScalarAsync<long>("SELECT count(*) FROM obligation_samples WHERE present");
        var total = await db.ScalarAsync<long>("SELECT count(*) FROM obligation_samples");
        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| pass time mean / p50 / p95 / max ms | {ms.Average():F1} / {Percentiles.Of(ms, 50):F1} / {Percentiles.Of(ms, 95):F1} / {ms[^1]:F1} | p95 <= 50 ms |");
        Console.WriteLine($"| samples written in the timed passes | {written:N0} (expected {Passes * MarketMakerCount * 2:N0}) | |");
        Console.WriteLine($"| present samples / all samples (half the MMs quote too wide) | {present:N0} / {total:N0} | |");
        Console.WriteLine($"target p95 <= 50 ms: {Machine.Verdict(Percentiles.Of(ms, 95) <= 50)}; load average at end {Machine.LoadAverage()}");
        return 0;
    }

    /// <summary>A clock the bench moves on by one sampling slot per pass.</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Step(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
