using System.Data.Common;
using System.Diagnostics;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 6, row 8 (service level): an order committed on instance A, the order-book change delivered to a subscriber on
/// instance B through Redis pub/sub (RedisOrderBookNotifier). Two service providers on one database and one Redis stand
/// for two app instances; the browser's SignalR hop after that is not included.
/// </summary>
internal static class LiveBookScenario
{
    private const int Orders = 300;

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("livebook");
        var commits = new CommitClock();
        await using var a = db.BuildServices(s => s.ConfigureDbContext<MarketMakersDbContext>(o => o.AddInterceptors(commits)));
        await using var b = db.BuildServices();
        var notifierB = b.GetRequiredService<RedisOrderBookNotifier>();
        await notifierB.EnsureSubscribedAsync();
        await a.GetRequiredService<RedisOrderBookNotifier>().EnsureSubscribedAsync();

        Guid mm;
        await using (var scope = a.CreateAsyncScope())
        {
            mm = (await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(CreateMarketMaker.Parse(
                "Live MM", "live@bench.local", null, new Dictionary<string, decimal> { ["EUA"] = 1_000_000m }))).Value.Id;
        }

        long delivered = 0;
        using var sub = notifierB.Subscribe("EUA", () =>
        {
            Volatile.Write(ref delivered, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        });
        Machine.PrintHeader($"workload: {Orders} Market Maker SELL orders placed one at a time on instance A; subscriber on instance B; Redis {BenchDatabase.Redis}");

        var fromCommit = new List<double>();
        var fromCall = new List<double>();
        for (int i = 0; i < Orders + 20; i++)
        {
            Volatile.Write(ref delivered, 0);
            var start = Stopwatch.GetTimestamp();
            await using (var scope = a.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<OrderService>()
                    .PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm), new OrderTerms(CertificateType.Eua, OrderSide.Sell, Price.Parse(500m + (i % 100)), Quantity.Parse(1m))));
            }

            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
            while (Volatile.Read(ref delivered) == 0 && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(1);
            }

            var at = Volatile.Read(ref delivered);
            if (i >= 20)
            {
                fromCommit.Add(at == 0 ? double.PositiveInfinity : (at - commits.Last) * 1000.0 / Stopwatch.Frequency);
                fromCall.Add(at == 0 ? double.PositiveInfinity : (at - start) * 1000.0 / Stopwatch.Frequency);
            }
        }

        double[] c = [.. fromCommit.Order()];
        double[] p = [.. fromCall.Order()];
        Console.WriteLine();
        Console.WriteLine("| metric | p50 ms | p95 ms | p99 ms | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| COMMIT done on A -> subscriber on B called | {Percentiles.Of(c, 50):F2} | {Percentiles.Of(c, 95):F2} | {Percentiles.Of(c, 99):F2} | p95 <= 250 ms |");
        Console.WriteLine($"| placement call start on A -> subscriber on B called | {Percentiles.Of(p, 50):F2} | {Percentiles.Of(p, 95):F2} | {Percentiles.Of(p, 99):F2} | |");
        Console.WriteLine($"| not delivered within 5 s | {c.Count(double.IsInfinity)} of {c.Length} | | | 0 |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} | | | |");
        Console.WriteLine();
        Console.WriteLine($"target commit -> second subscriber p95 <= 250 ms: {Machine.Verdict(Percentiles.Of(c, 95) <= 250)}");
        return 0;
    }

    /// <summary>Records when the last transaction of instance A finished committing.</summary>
    private sealed class CommitClock : DbTransactionInterceptor
    {
        private long _last;

        public long Last => Volatile.Read(ref _last);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Volatile.Write(ref _last, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
