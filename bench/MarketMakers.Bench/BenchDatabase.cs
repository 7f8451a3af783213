using MarketMakers.Core;
using MarketMakers.Core.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// A PostgreSQL database of the scenario's own (created, migrated with <see cref="DatabaseInitializer"/>, dropped at
/// the end), and the Core services wired to it the way the app wires them. Server from MM_BENCH_POSTGRES, Redis
/// from MM_BENCH_REDIS. Only databases named mm_bench_* that this object created are ever dropped.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=postgres";
    public const string DefaultRedis = "127.0.0.1:56379";

    private BenchDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public static string AdminPostgres
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("MM_BENCH_POSTGRES") is { Length: > 0 } cs ? cs : DefaultPostgres);
            b.Database ??= "postgres";
            return b.ConnectionString;
        }
    }

    public static string Redis => Environment.GetEnvironmentVariable("MM_BENCH_REDIS") is { Length: > 0 } r ? r : DefaultRedis;

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string tag)
    {
        var name = $"mm_bench_{tag}_{DateTime.UtcNow:MMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var admin = new NpgsqlConnection(AdminPostgres))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        var cs = new NpgsqlConnectionStringBuilder(AdminPostgres) { Database = name, MaxPoolSize = 200, CommandTimeout = 600 }.ConnectionString;
        var db = new BenchDatabase(name, cs);
        await using var services = db.BuildServices();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return db;
    }

    public const string AdminEmail = "admin@bench.local";
    public const string AdminPassword = "Bench-Admin-Passw0rd";

    /// <summary>The configuration every host of this database uses, the web app's included: per-database Redis key prefixes.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["Redis:Configuration"] = Redis,
        ["Admin:Email"] = AdminEmail,
        ["Admin:Password"] = AdminPassword,
        ["TicketCounter:KeyPrefix"] = Name + ":",
        ["OrderBook:ChannelPrefix"] = Name + ":",
        // Benches seed their markets by direct deposits; four-eyes (on by default) would leave them as requests.
        ["Approvals:Enabled"] = "false",
        ["Security:RequireTwoFactor"] = "false",
        // Benches seed deep quotes (1,000,000 @ 100.00) beyond the SPEC's default limits; placement-limits sets its own.
        ["Risk:InitialLimits:PriceCollarPct"] = "none",
        ["Risk:InitialLimits:MaxOrderQuantity"] = "1000000000",
        ["Risk:InitialLimits:MaxOrderNotional"] = "1000000000000",
    };

    /// <summary>The Core services (AddMarketMakersCore) on this database, with per-database Redis key prefixes.</summary>
    public ServiceProvider BuildServices(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build());
        services.AddLogging();
        services.AddMarketMakersCore();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<long> ExecuteAsync(string sql, int timeoutSeconds = 900)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = timeoutSeconds };
        return await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 900 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Name.StartsWith("mm_bench_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to drop {Name}.");
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminPostgres);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}

internal static class Machine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static void PrintHeader(string what)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine(what);
    }

    public static string Verdict(bool met) => met ? "MET" : "MISSED";

    /// <summary>A positive whole number from the environment (a scenario's size), or <paramref name="fallback"/>.</summary>
    public static int PositiveSetting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;
}
