using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MarketMakers.Web.Market;

namespace MarketMakers.Bench;

/// <summary>
/// The processes of the api-load bench: the built MarketMakers.Web (its own <c>dotnet</c> process, Production
/// environment, its appsettings.json, configured through environment variables) and the load generator
/// (bench/MarketMakers.LoadGen, pinned to one core with <c>taskset -c 1</c> when taskset exists and the machine has
/// more than one core). Both are found next to their projects in the bench's own build configuration.
/// </summary>
internal static class ApiLoadPaths
{
    /// <summary>The Web project folder (the app's content root), from the manifest Mvc.Testing writes next to the bench.</summary>
    public static string WebRoot
    {
        get
        {
            var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
            var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
            return roots[typeof(MarketGateway).Assembly.FullName!];
        }
    }

    // bin/<Configuration>/net10.0/ of the bench: the app and the load generator are built in the same configuration.
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Tfm => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    /// <summary>MM_BENCH_APILOAD_APP names a published MarketMakers.Web.dll; by default the Web project's own build output.</summary>
    public static string AppDll => Environment.GetEnvironmentVariable("MM_BENCH_APILOAD_APP") is { Length: > 0 } dll
        ? dll
        : Path.Combine(WebRoot, "bin", Configuration, Tfm, "MarketMakers.Web.dll");

    public static string LoadGenDll => Path.GetFullPath(Path.Combine(WebRoot, "..", "..", "bench", "MarketMakers.LoadGen", "bin", Configuration, Tfm, "MarketMakers.LoadGen.dll"));

    public static bool PinLoadGen => File.Exists("/usr/bin/taskset") && Environment.ProcessorCount > 1 && Environment.GetEnvironmentVariable("MM_BENCH_APILOAD_PIN") != "0";
}

/// <summary>The app in its own process; stdout and stderr are kept (the last lines are shown if it dies).</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private long _lines;

    private AppProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    /// <summary>Lines the app wrote to its console (request or per-order logging would show here).</summary>
    public long Lines => Interlocked.Read(ref _lines);

    public static async Task<AppProcess> StartAsync(string baseUrl, IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ApiLoadPaths.WebRoot };
        start.ArgumentList.Add(ApiLoadPaths.AppDll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(ApiLoadPaths.WebRoot);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var app = new AppProcess(Process.Start(start)!);
        app._process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        await app.WaitReadyAsync(baseUrl);
        return app;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    private async Task WaitReadyAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 180;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {_process.ExitCode}:{Environment.NewLine}{Tail()}");
            }

            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy starting
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the app did not become ready:{Environment.NewLine}{Tail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>The load generator's process, driven over its stdin/stdout line protocol (see bench/MarketMakers.LoadGen).</summary>
internal sealed class LoadGenProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LoadGenProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public static async Task<LoadGenProcess> StartAsync(string baseUrl, string emailPattern, string password, int clients)
    {
        var pinned = ApiLoadPaths.PinLoadGen;
        var start = new ProcessStartInfo(pinned ? "taskset" : "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        if (pinned)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("1");
            start.ArgumentList.Add("dotnet");
        }

        foreach (var a in new[] { ApiLoadPaths.LoadGenDll, baseUrl, emailPattern, password, clients.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        var gen = new LoadGenProcess(Process.Start(start)!);
        var first = await gen._process.StandardOutput.ReadLineAsync();
        if (first != "ready")
        {
            throw new InvalidOperationException($"the load generator did not start: {first}");
        }

        return gen;
    }

    public Task SendAsync(string command) => _process.StandardInput.WriteLineAsync(command).ContinueWith(_ => _process.StandardInput.Flush());

    /// <summary>Sends a command that answers one "window ..." line, and parses it.</summary>
    public async Task<LoadWindow> AskAsync(string command)
    {
        await SendAsync(command);
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the load generator ended");
        return LoadWindow.Parse(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SendAsync("quit");
            if (!_process.WaitForExit(30_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}

internal sealed record LoadWindow(string Label, int Orders, long Failed, double Seconds, double P50, double P99, double Max)
{
    public double Rate => Seconds > 0 ? Orders / Seconds : 0;

    public static LoadWindow Parse(string line)
    {
        var f = line.Split(' ').Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        double D(string k) => double.Parse(f[k], CultureInfo.InvariantCulture);
        return new LoadWindow(f["label"], int.Parse(f["orders"], CultureInfo.InvariantCulture), long.Parse(f["failed"], CultureInfo.InvariantCulture),
            D("seconds"), D("p50"), D("p99"), D("max"));
    }
}
