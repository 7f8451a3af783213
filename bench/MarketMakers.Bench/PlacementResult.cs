using System.Diagnostics;

namespace MarketMakers.Bench;

/// <summary>One variant's timed run at one concurrency, and the closed-loop driver that produces it.</summary>
internal sealed record PlacementResult(string Variant, int Concurrency, int Orders, double Seconds, double[] Latencies)
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

    /// <summary>A level's rounds of one variant as one result: summed time and orders, pooled latencies.</summary>
    public static PlacementResult Combine(List<PlacementResult> runs)
    {
        double[] all = [.. runs.SelectMany(r => r.Latencies).Order()];
        return new PlacementResult(runs[0].Variant, runs[0].Concurrency, runs.Sum(r => r.Orders), runs.Sum(r => r.Seconds), all)
        {
            MachineCpuSeconds = runs.Sum(r => r.MachineCpuSeconds),
            ProcessCpuSeconds = runs.Sum(r => r.ProcessCpuSeconds),
            SealSeconds = runs.Sum(r => r.SealSeconds),
        };
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> workers take the next order number until all are placed.</summary>
    public static async Task<PlacementResult> DriveAsync(string variant, int concurrency, int orders, Func<int, long, Task> place)
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
        return new PlacementResult(variant, concurrency, orders, seconds, latencies);
    }
}
