using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MarketMakers.Tests.Infrastructure;
using Npgsql;

namespace MarketMakers.Tests.Faults;

/// <summary>
/// The built web app (src/MarketMakers.Web/bin/&lt;Configuration&gt;/net10.0/MarketMakers.Web.dll) as a separate OS
/// process on a free loopback port, so a test can kill it outright and start it again.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly string _postgres;
    private readonly string _redis;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public AppProcess(string postgres, string redis)
    {
        _postgres = postgres;
        _redis = redis;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The app dll built in the same configuration as this test assembly (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string WebDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(TestEnvironment.RepoRoot, "src", "MarketMakers.Web", "bin", configuration, "net10.0", "MarketMakers.Web.dll");
        }
    }

    public string RecentOutput => string.Join('\n', _output.TakeLast(40));

    public async Task StartAsync(TimeSpan timeout)
    {
        Assert.True(File.Exists(WebDll), $"build the app first: {WebDll} is missing");
        var psi = new ProcessStartInfo("dotnet", $"\"{WebDll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WebDll)!,
        };
        var database = new NpgsqlConnectionStringBuilder(_postgres).Database + ":";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        psi.Environment["ConnectionStrings__Postgres"] = _postgres;
        psi.Environment["Redis__Configuration"] = _redis;
        psi.Environment["Admin__Email"] = TestDatabase.AdminEmail;
        psi.Environment["Admin__Password"] = TestDatabase.AdminPassword;
        psi.Environment["TicketCounter__KeyPrefix"] = database;
        psi.Environment["OrderBook__ChannelPrefix"] = database;
        // As in every other test host (TestDatabase.Settings): the fault suites sign the seeded admin in by password.
        psi.Environment["Approvals__Enabled"] = "false";
        psi.Environment["Security__RequireTwoFactor"] = "false";
        psi.Environment["Risk__InitialLimits__PriceCollarPct"] = "none";
        psi.Environment["Risk__InitialLimits__MaxOrderQuantity"] = "1000000000";
        psi.Environment["Risk__InitialLimits__MaxOrderNotional"] = "1000000000000";
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var process = _process;
        await Poll.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"the app exited with {(process.HasExited ? process.ExitCode : 0)}: {RecentOutput}");
            using var response = await http.GetAsync("/health");
            return response.StatusCode == HttpStatusCode.OK;
        }, timeout, () => $"the app did not become healthy: {RecentOutput}");
    }

    /// <summary>SIGKILL, no shutdown hooks: what a crash or an OOM kill looks like.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}
