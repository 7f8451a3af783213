using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// Issue 18 "end-to-end load, api-load": the real app (the built MarketMakers.Web in a process of its own, on a loopback
/// Kestrel port, over a bench database of its own) under 32 HTTP/1.1 keep-alive clients with bearer tokens from
/// POST /api/v1/auth/login, in a second process (bench/MarketMakers.LoadGen, pinned to core 1). Workload as the
/// placement bench's: one Market Maker rests SELL 1,000,000 @ 100.00 on EUA; the even clients place BUY 1 @ 100.00
/// (crosses: one fill, one trade), the odd ones SELL 1 @ 200.00 (rests), through POST /api/v1/cash-market/orders,
/// back to back. After a warm-up, four measurement windows in the order on, off, off, on: "on" is the product as it
/// ships; "off" drops every ticket row at the INSERT (the placement bench's BEFORE INSERT trigger on ticket_logs), so
/// that no ticket is stored, indexed, queued or sealed. The app still builds and sends its tickets, so "audit CPU" is
/// the storage, indexing and sealing of the audit trail, not its construction.
/// </summary>
internal static class ApiLoadScenario
{
    private const int Clients = 32;
    private const string TraderPassword = "Bench-Trader-Passw0rd";

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        var warmUp = Machine.PositiveSetting("MM_BENCH_APILOAD_WARMUP", 20);
        var window = Machine.PositiveSetting("MM_BENCH_APILOAD_SECONDS", 15);
        await using var db = await BenchDatabase.CreateAsync("apiload");
        await using (var services = db.BuildServices())
        {
            await PlacementMarket.SeedAsync(services, Clients);
        }

        await TicketSuppression.InstallAsync(db.ConnectionString);
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var settings = new Dictionary<string, string?>(db.Settings)
        {
            // 32 sign-ins from one address in a few seconds; the production limit is 30 a minute per IP.
            ["RateLimits:SignInPerIp:PermitLimit"] = "1000",
            // Raised so that no token can be throttled (each token runs at about 1/32 of the total, far below the 500/s default).
            ["RateLimits:ApiPerToken:PerSecond"] = "100000",
            ["RateLimits:ApiPerToken:Burst"] = "100000",
        };
        await using var app = await AppProcess.StartAsync(baseUrl, settings);
        Machine.PrintHeader($"workload: {Clients} HTTP/1.1 keep-alive clients with bearer tokens, POST /api/v1/cash-market/orders back to back on EUA, " +
            $"half the clients crossing (BUY 1 @ 100.00 against the MM's SELL 1,000,000 @ 100.00), half resting (SELL 1 @ 200.00)");
        Console.WriteLine($"app: {ApiLoadPaths.AppDll} (pid {app.Pid}, Production, appsettings.json logging), unpinned, on {baseUrl}; database {db.Name}");
        Console.WriteLine($"load generator: own process{(ApiLoadPaths.PinLoadGen ? ", pinned to core 1 (taskset -c 1)" : ", NOT pinned")}; " +
            "bench env: RateLimits__ApiPerToken__PerSecond=100000, RateLimits__ApiPerToken__Burst=100000, RateLimits__SignInPerIp__PermitLimit=1000");
        Console.WriteLine($"windows: a warm-up of at least {warmUp} s (auditing on), then 4 x {window} s in the order on, off, off, on; 'off' = ticket_logs rows dropped by a BEFORE INSERT trigger");

        await using var probe = new NpgsqlConnection(db.ConnectionString);
        await probe.OpenAsync();
        await using var load = await LoadGenProcess.StartAsync(baseUrl, "trader{0}@bench.local", TraderPassword, Clients);
        var linesBefore = app.Lines;
        Console.WriteLine(await WarmUpAsync(baseUrl, warmUp));
        var measured = new List<ApiLoadMeasurement>();
        foreach (var audited in new[] { true, false, false, true })
        {
            measured.Add(await MeasureAsync(db, probe, app, load, audited, window));
        }

        await TicketSuppression.SetAsync(db.ConnectionString, false);
        var on = await load.AskAsync("summary on");
        var off = await load.AskAsync("summary off");
        ApiLoadReport.Print(measured, on, off, app.Lines - linesBefore, await db.ScalarAsync<long>("SELECT count(*) FROM cash_market_trades"));
        return 0;
    }

    private static async Task<ApiLoadMeasurement> MeasureAsync(BenchDatabase db, NpgsqlConnection probe, AppProcess app, LoadGenProcess load, bool audited, int seconds)
    {
        await TicketSuppression.SetAsync(db.ConnectionString, !audited);
        if (!audited)
        {
            // The sealing of the last "on" window's tickets would otherwise be charged to this one.
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
            while (await Unsealed(probe) > 0 && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100);
            }
        }

        var label = audited ? "on" : "off";
        var before = await CpuSample.TakeAsync(app.Pid, probe, db.Name);
        await load.SendAsync("start " + label);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var result = await load.AskAsync("stop");
        var after = await CpuSample.TakeAsync(app.Pid, probe, db.Name);
        var (pgMs, lost) = CpuSample.BackendDelta(before, after);
        var m = new ApiLoadMeasurement(result, after.AppMs - before.AppMs, pgMs, lost, after.AllPostgresMs - before.AllPostgresMs, await Unsealed(probe), Machine.LoadAverage());
        Console.WriteLine(m.Line());
        return m;
    }

    /// <summary>
    /// At least <paramref name="seconds"/> under load, then on until the app's JIT has settled (under 50 methods compiled
    /// in 5 s, from its own /metrics, at most 120 s in all): a first profile of this bench spent 40% of the app's CPU in
    /// the JIT (tiered compilation still promoting hot methods on a loaded machine), which no long-running server pays.
    /// </summary>
    private static async Task<string> WarmUpAsync(string baseUrl, int seconds)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var start = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var last = await JittedAsync(http);
        while (last is not null && Stopwatch.GetElapsedTime(start).TotalSeconds < 120)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var now = await JittedAsync(http);
            var settled = now - last < 50;
            last = now;
            if (settled)
            {
                break;
            }
        }

        return $"warm-up: {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s under load, auditing on" +
            (last is null ? " (JIT count not found in /metrics)" : $", until the app's JIT settled ({last} methods compiled)");
    }

    private static async Task<long?> JittedAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_jit_compiled_methods", StringComparison.Ordinal));
        return line is not null && double.TryParse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture, out var v) ? (long)v : null;
    }

    private static async Task<long> Unsealed(NpgsqlConnection probe)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM ticket_seal_queue", probe);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
