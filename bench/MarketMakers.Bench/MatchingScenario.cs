using System.Diagnostics;
using MarketMakers.Core.Matching;

namespace MarketMakers.Bench;

/// <summary>Issue 6, row 1: pure matching engine, one instrument, ~1K resting orders.</summary>
internal static class MatchingScenario
{
    private const int Seed = 20261123;
    private const int ThroughputOps = 2_000_000;
    private const int LatencyOps = 500_000;
    private const double PacedRate = 100_000;

    public static int Run()
    {
        MatchingWorkload workload = MatchingWorkload.Generate(ThroughputOps, Seed);
        int news = workload.Ops.Count(o => !o.IsCancel);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"workload: seed {Seed}, {workload.InitialBook.Count} initial resting orders, {workload.Ops.Length:N0} ops " +
            $"({news:N0} new limit orders incl. crossing, {workload.Ops.Length - news:N0} cancels)");

        // Warm up so the timed runs measure tier-1 (PGO) code, not the JIT.
        for (int i = 0; i < 3; i++)
        {
            Replay(workload, workload.Ops.Length);
        }

        var runs = new List<(double OpsPerSec, long Fills, int Resting)>();
        for (int i = 0; i < 5; i++)
        {
            long start = Stopwatch.GetTimestamp();
            (long fills, int resting) = Replay(workload, workload.Ops.Length);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            runs.Add((workload.Ops.Length / seconds, fills, resting));
        }

        bool deterministic = runs.All(r => r.Fills == runs[0].Fills && r.Resting == runs[0].Resting);
        double[] rates = [.. runs.Select(r => r.OpsPerSec).Order()];
        _ = Paced(workload, 50_000); // warm the paced loop itself (OSR/tier-1) before the measured run
        (double p50, double p99, double p999, double max, double sp50, double sp99, double sp999, int gcs) = Paced(workload, LatencyOps);
        TimeSpan enginePause = s_lastGcPause;

        _ = Paced(workload, 50_000, runEngine: false);
        (double b50, double b99, double b999, double bmax, _, _, _, _) = Paced(workload, LatencyOps, runEngine: false);

        Console.WriteLine();
        Console.WriteLine("| metric | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| throughput, median of 5 runs of {workload.Ops.Length:N0} ops | {rates[2]:N0} orders/s | >= 1,000,000 |");
        Console.WriteLine($"| throughput, min / max | {rates[0]:N0} / {rates[^1]:N0} orders/s | |");
        Console.WriteLine($"| fills per run / resting at end | {runs[0].Fills:N0} / {runs[0].Resting:N0} | |");
        Console.WriteLine($"| deterministic across runs | {(deterministic ? "yes" : "NO")} | yes |");
        Console.WriteLine($"| latency @ {PacedRate:N0}/s, {LatencyOps:N0} ops: p50 / p99 / p99.9 / max | {p50:F2} / {p99:F2} / {p999:F2} / {max:F2} µs | p99 <= 10 µs |");
        Console.WriteLine($"| same paced loop without the engine (harness + OS floor): p50 / p99 / p99.9 / max | {b50:F2} / {b99:F2} / {b999:F2} / {bmax:F2} µs | |");
        Console.WriteLine($"| service time only: p50 / p99 / p99.9 | {sp50:F2} / {sp99:F2} / {sp999:F2} µs | |");
        Console.WriteLine($"| GCs / total GC pause during paced run | {gcs} / {enginePause.TotalMicroseconds:F0} µs | |");

        // The paced figure is sensitive to other processes on this 2-core box, so print the load next to it.
        Console.WriteLine($"| load average (1/5/15 min) at end | {LoadAverage()} | |");

        Console.WriteLine();
        Console.WriteLine($"target throughput >= 1,000,000 orders/s: {(rates[2] >= 1_000_000 ? "MET" : "MISSED")}");
        Console.WriteLine($"target p99 <= 10 µs at 100k/s (from scheduled send): {(p99 <= 10 ? "MET" : "MISSED")}" +
            (p99 > 10 && b99 > 10 ? " (the engine-less loop misses it too: OS scheduling on this machine, not the engine)" : string.Empty));
        Console.WriteLine($"engine service time p99 <= 10 µs: {(sp99 <= 10 ? "MET" : "MISSED")}");
        return deterministic ? 0 : 1;
    }

    private static TimeSpan s_lastGcPause;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static (long Fills, int Resting) Replay(MatchingWorkload workload, int count)
    {
        OrderBook book = workload.FreshBook();
        BenchOp[] ops = workload.Ops;
        long fills = 0;
        for (int i = 0; i < count; i++)
        {
            ref readonly BenchOp op = ref ops[i];
            if (op.IsCancel)
            {
                book.Cancel(op.CancelId);
            }
            else
            {
                fills += book.Match(op.Order).Fills.Count;
            }
        }

        return (fills, book.Count);
    }

    /// <summary>
    /// Issues one order every 10 µs. Latency is measured from the order's scheduled send time to its
    /// completion, so a stall also charges the orders queued behind it (no coordinated omission).
    /// </summary>
    private static (double P50, double P99, double P999, double Max, double SP50, double SP99, double SP999, int Gcs) Paced(MatchingWorkload workload, int count, bool runEngine = true)
    {
        OrderBook book = workload.FreshBook();
        BenchOp[] ops = workload.Ops;
        int n = Math.Min(count, ops.Length);
        var latency = new double[n];
        var service = new double[n];
        double ticksPerMicro = Stopwatch.Frequency / 1_000_000.0;
        long interval = (long)(Stopwatch.Frequency / PacedRate);
        int gcBefore = GC.CollectionCount(0);
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        long origin = Stopwatch.GetTimestamp();

        for (int i = 0; i < n; i++)
        {
            long scheduled = origin + (i * interval);
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                Thread.SpinWait(1);
            }

            long begin = Stopwatch.GetTimestamp();
            ref readonly BenchOp op = ref ops[i];
            if (!runEngine)
            {
                // Baseline: the same pacing loop with no engine call, i.e. the floor set by the harness and the OS.
            }
            else if (op.IsCancel)
            {
                book.Cancel(op.CancelId);
            }
            else
            {
                book.Match(op.Order);
            }

            long end = Stopwatch.GetTimestamp();
            latency[i] = (end - scheduled) / ticksPerMicro;
            service[i] = (end - begin) / ticksPerMicro;
        }

        int gcs = GC.CollectionCount(0) - gcBefore;
        s_lastGcPause = GC.GetTotalPauseDuration() - pauseBefore;
        Array.Sort(latency);
        Array.Sort(service);
        return (Percentiles.Of(latency, 50), Percentiles.Of(latency, 99), Percentiles.Of(latency, 99.9), latency[^1],
            Percentiles.Of(service, 50), Percentiles.Of(service, 99), Percentiles.Of(service, 99.9), gcs);
    }
}
