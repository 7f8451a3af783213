using System.Diagnostics;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 17 "ladder replace 10×10, p95 ≤ 20 ms at the service level": one Market Maker replaces its 10-bid, 10-ask
/// ladder on CEA over and over (each replace cancels the 20 old orders and places 20 new ones, alternating between two
/// ladders 0.05 apart), beside a book of 400 other resting orders. For scale, the same change done the old way — 20
/// cancels and 20 placements, one service call each — is timed on the same database in the same run.
/// </summary>
internal static class LadderScenario
{
    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        var replaces = Machine.PositiveSetting("MM_BENCH_LADDER_REPLACES", 300);
        await using var db = await BenchDatabase.CreateAsync("ladder");
        await using var services = db.BuildServices();
        var mm = await CreateMarketMakerAsync(services, "Ladder MM");
        var others = await CreateMarketMakerAsync(services, "Background MM");
        // 200 bids below 60 and 200 asks above 80: a deep book the ladder (69–71) never reaches.
        for (var i = 0; i < 200; i++)
        {
            await PlaceAsync(services, others, "BUY", 59.99m - i * 0.01m);
            await PlaceAsync(services, others, "SELL", 80.01m + i * 0.01m);
        }

        Machine.PrintHeader($"workload: 10x10 ladder replaces of one MM on CEA (20 cancels + 20 placements each) beside 400 resting orders; " +
            $"{replaces} timed replaces after 20 warm-up; old way: 20 cancels + 20 placements as 40 service calls, 30 rounds");
        for (var i = 0; i < 20; i++)
        {
            await ReplaceAsync(services, mm, i);
        }

        var ms = new double[replaces];
        for (var i = 0; i < replaces; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await ReplaceAsync(services, mm, i);
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        await ReplaceAsync(services, mm, 0, pull: true);
        var oneByOne = new double[30];
        var open = new List<Guid>();
        for (var round = 0; round < oneByOne.Length; round++)
        {
            var t0 = Stopwatch.GetTimestamp();
            foreach (var id in open)
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<OrderService>().CancelMarketMakerOrderAsync(new CancelMarketMakerOrder(new OrderId(id)));
            }

            open.Clear();
            foreach (var (side, price) in Levels(round))
            {
                open.Add(await PlaceAsync(services, mm, side, price));
            }

            oneByOne[round] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        // The tail by window, in arrival order: a tail that grows over the run points at bloat, a flat one at the write.
        var windows = ms.Chunk(Math.Max(1, replaces / 5)).Select(w => $"{Percentiles.Of([.. w.Order()], 50):F1}/{Percentiles.Of([.. w.Order()], 95):F1}").ToList();
        Array.Sort(ms);
        Array.Sort(oneByOne);
        var p95 = Percentiles.Of(ms, 95);
        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| replace 10x10: mean / p50 / p95 / max ms | {ms.Average():F1} / {Percentiles.Of(ms, 50):F1} / {p95:F1} / {ms[^1]:F1} | p95 <= 20 ms |");
        Console.WriteLine($"| replace p50/p95 ms by fifth of the run, in order | {string.Join(" · ", windows)} | |");
        Console.WriteLine($"| the same as 40 single calls: p50 / p95 ms | {Percentiles.Of(oneByOne, 50):F1} / {Percentiles.Of(oneByOne, 95):F1} | |");
        Console.WriteLine($"| ratio single calls / replace (p50) | {Percentiles.Of(oneByOne, 50) / Percentiles.Of(ms, 50):F1} | |");
        Console.WriteLine($"target p95 <= 20 ms: {Machine.Verdict(p95 <= 20)}; load average at end {Machine.LoadAverage()}");
        return 0;
    }

    private static IEnumerable<(string Side, decimal Price)> Levels(int round)
    {
        var shift = round % 2 == 0 ? 0m : 0.05m;
        return Enumerable.Range(0, 10).Select(l => ("BUY", 69.00m - shift - l * 0.10m))
            .Concat(Enumerable.Range(0, 10).Select(l => ("SELL", 71.00m + shift + l * 0.10m)));
    }

    private static async Task ReplaceAsync(IServiceProvider services, Guid mm, int round, bool pull = false)
    {
        var levels = Levels(round).ToList();
        var command = pull
            ? ReplaceQuotes.Pull(new MarketMakerId(mm), CertificateType.Parse("CEA"))
            : ReplaceQuotes.Parse(new MarketMakerId(mm), CertificateType.Parse("CEA"),
                [.. levels.Where(l => l.Side == "BUY").Select(l => ((decimal?)l.Price, (decimal?)10m))],
                [.. levels.Where(l => l.Side == "SELL").Select(l => ((decimal?)l.Price, (decimal?)10m))]);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<QuoteService>().ReplaceAsync(command);
    }

    private static async Task<Guid> CreateMarketMakerAsync(IServiceProvider services, string name)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(CreateMarketMaker.Parse(name, $"{Guid.NewGuid():N}@ladder.bench", null,
            new Dictionary<string, decimal> { ["CEA"] = 1_000_000m, ["EUR"] = 100_000_000m }))).Value.Id;
    }

    private static async Task<Guid> PlaceAsync(IServiceProvider services, Guid mm, string side, decimal price)
    {
        await using var scope = services.CreateAsyncScope();
        var placed = await scope.ServiceProvider.GetRequiredService<OrderService>().PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm),
            new OrderTerms(CertificateType.Parse("CEA"), OrderSide.Parse(side), Price.Parse(price), Quantity.Parse(10m))));
        return placed.Value.Order.Id;
    }
}
