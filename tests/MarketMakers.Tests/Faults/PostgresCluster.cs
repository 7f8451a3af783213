using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MarketMakers.Core.Persistence;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Faults;

/// <summary>
/// A private, throw-away PostgreSQL cluster (initdb into a temp dir, pg_ctl on a free loopback port), for tests
/// that restart the server. The shared server on 55432 is never touched. Run as the postgres OS user when the
/// tests run as root, as scripts/services.sh does.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;

    private PostgresCluster(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=15";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql");
        var dataDir = Path.Combine("/tmp", $"mm-faults-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        var cluster = new PostgresCluster(bin, dataDir, FreePort());
        if (IsRoot)
        {
            await RunAsync("chown", $"postgres:postgres {dataDir}");
        }

        await RunAsync("chmod", $"700 {dataDir}");
        await cluster.PgAsync($"{bin}/initdb -D {dataDir} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync");
        await cluster.PgCtlAsync("start");
        return cluster;
    }

    /// <summary>A fresh database in this cluster, migrated and seeded as the app would at start-up.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 100 }.ConnectionString;
        await using var services = TestDatabase.BuildServices(connectionString);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return connectionString;
    }

    /// <summary><c>pg_ctl restart -m fast</c>: active sessions are disconnected, the server comes back on the same port.</summary>
    public Task RestartAsync() => PgCtlAsync("restart -m fast");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgCtlAsync("stop -m immediate");
        }
        catch (Exception)
        {
            // Best effort: the directory goes either way.
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task PgCtlAsync(string command) => PgAsync(
        $"{_bin}/pg_ctl -D {_dataDir} -l {_dataDir}/server.log -w -t 60 " +
        $"-o '-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=200 -c fsync=off' {command}");

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string command) => IsRoot
        ? RunAsync("su", "postgres -s /bin/sh -c \"" + command + "\"")
        : RunAsync("/bin/sh", "-c \"" + command + "\"");

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
