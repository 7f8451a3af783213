using System.Collections.Concurrent;
using System.Diagnostics;
using MarketMakers.Core.Audit;

namespace MarketMakers.Bench;

/// <summary>
/// "Auditing off" for the placement scenario: a BEFORE INSERT trigger on ticket_logs that drops every row (so no seal
/// queue row and nothing for the sealer either), enabled only while that variant runs. Toggled between runs with
/// ALTER TABLE, so the "on" variants pay nothing for it. The order path writes tickets with its own batched INSERT,
/// which an EF interceptor would not see; the trigger catches every path.
/// </summary>
internal static class TicketSuppression
{
    public static async Task InstallAsync(string connectionString)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            CREATE OR REPLACE FUNCTION bench_drop_ticket() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            DROP TRIGGER IF EXISTS bench_drop_ticket ON ticket_logs;
            CREATE TRIGGER bench_drop_ticket BEFORE INSERT ON ticket_logs FOR EACH ROW EXECUTE FUNCTION bench_drop_ticket();
            ALTER TABLE ticket_logs DISABLE TRIGGER bench_drop_ticket;
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// MM_BENCH_PLACEMENT_SAME=1: "auditing off" keeps its tickets, so the on/off row compares a variant with itself
    /// (an A/A test). It shows whether the comparison favours either slot and how far noise alone moves the ratio.
    /// </summary>
    public static bool SameVariantTwice => Environment.GetEnvironmentVariable("MM_BENCH_PLACEMENT_SAME") == "1";

    /// <summary>
    /// MM_BENCH_PLACEMENT_SQL: SQL run once on the scenario's database after migration, to measure what a schema
    /// change would buy (for instance dropping the search indexes) without building it. Off unless set.
    /// </summary>
    public static async Task ApplyExperimentAsync(BenchDatabase db)
    {
        if (SameVariantTwice)
        {
            Console.WriteLine("EXPERIMENT: MM_BENCH_PLACEMENT_SAME=1, 'auditing off' stores its tickets too (an A/A comparison)");
        }

        if (Environment.GetEnvironmentVariable("MM_BENCH_PLACEMENT_SQL") is not { Length: > 0 } sql)
        {
            return;
        }

        Console.WriteLine($"EXPERIMENT: MM_BENCH_PLACEMENT_SQL applied to the schema: {sql.ReplaceLineEndings(" ")}");
        await db.ExecuteAsync(sql);
    }

    public static async Task SetAsync(string connectionString, bool suppress)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"ALTER TABLE ticket_logs {(suppress ? "ENABLE" : "DISABLE")} TRIGGER bench_drop_ticket", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>Times the ticket id allocations (one Redis round trip per call) of the service path.</summary>
internal sealed class TimedTicketIdAllocator(ITicketIdAllocator inner) : ITicketIdAllocator
{
    private long _count;
    private long _ticks;

    public long Count => Interlocked.Read(ref _count);

    public double TotalMs => Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency;

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }

    public Task<TicketNumber> NextAsync(CancellationToken cancellationToken = default) => TimeAsync(() => inner.NextAsync(cancellationToken));

    public Task<IReadOnlyList<TicketNumber>> NextManyAsync(int count, CancellationToken cancellationToken = default) =>
        TimeAsync(() => inner.NextManyAsync(count, cancellationToken));

    private async Task<T> TimeAsync<T>(Func<Task<T>> allocate)
    {
        var start = Stopwatch.GetTimestamp();
        var ids = await allocate();
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _count);
        return ids;
    }
}

/// <summary>Listens to the order path's own metrics (<see cref="MarketMakers.Core.Orders.OrderMetrics"/>): batch sizes and times.</summary>
internal sealed class BatchListener
{
    public static readonly BatchListener Instance = new();

    private readonly ConcurrentDictionary<(string Variant, string Instrument), ConcurrentBag<double>> _values = new();
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();

    private BatchListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MarketMakers.Core.Orders.OrderMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>The variant whose batches are being recorded; null records nothing.</summary>
    public volatile string? Variant;

    private void Add(string instrument, double value)
    {
        if (Variant is { } variant)
        {
            _values.GetOrAdd((variant, instrument), _ => []).Add(value);
        }
    }

    private double[] Values(string variant, string instrument) =>
        _values.TryGetValue((variant, "marketmakers.orders." + instrument), out var bag) ? [.. bag.Order()] : [];

    public (int Batches, double MeanSize, double MeanMs, double P99Ms, double ReadMs, double WriteMs) Summary(string variant)
    {
        var (sizes, ms) = (Values(variant, "batch_size"), Values(variant, "batch_duration"));
        return sizes.Length == 0
            ? default
            : (sizes.Length, sizes.Average(), ms.Average(), Percentiles.Of(ms, 99), Values(variant, "batch_read_duration").Average(),
               Values(variant, "batch_write_duration").Average());
    }
}

/// <summary>
/// CPU spent between Start and Stop: by the whole machine (from /proc/stat, so PostgreSQL and Redis count too; 0 where
/// there is no /proc) and by this process. On a 2-core box shared by everything, this is what a variant really costs.
/// </summary>
internal readonly struct CpuMeter
{
    private readonly double _machine;
    private readonly TimeSpan _process;

    private CpuMeter(double machine, TimeSpan process) => (_machine, _process) = (machine, process);

    public static CpuMeter Start() => new(MachineBusySeconds(), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);

    public (double MachineSeconds, double ProcessSeconds) Stop() =>
        (MachineBusySeconds() - _machine, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds);

    /// <summary>user + nice + system + irq + softirq over all cores, in seconds (USER_HZ is 100 on Linux).</summary>
    private static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(f[1]) + long.Parse(f[2]) + long.Parse(f[3]) + long.Parse(f[6]) + long.Parse(f[7])) / 100.0;
    }
}

/// <summary>
/// Optional system-wide profile per variant: with MM_BENCH_PERF_DIR set, a `perf record --control
/// fifo:DIR/on.ctl,DIR/on.ack -D -1` (and off.*) session is switched on only while that variant's timed c=32 rounds run,
/// so the two profiles can be compared symbol by symbol.
/// </summary>
internal static class PerfControl
{
    private static readonly string? Dir = Environment.GetEnvironmentVariable("MM_BENCH_PERF_DIR");

    public static void Switch(string variant, bool enable)
    {
        var slug = variant.EndsWith("on", StringComparison.Ordinal) ? "on" : variant.EndsWith("off", StringComparison.Ordinal) ? "off" : null;
        if (Dir is null || slug is null || !File.Exists(Path.Combine(Dir, slug + ".ctl")))
        {
            return;
        }

        File.WriteAllText(Path.Combine(Dir, slug + ".ctl"), enable ? "enable\n" : "disable\n");
        using var ack = new StreamReader(Path.Combine(Dir, slug + ".ack"));
        ack.ReadLine();
    }
}
