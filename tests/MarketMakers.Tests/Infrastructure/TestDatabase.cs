using MarketMakers.Core;
using MarketMakers.Core.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>
/// Real PostgreSQL databases for tests: each test run migrates a fresh database of its own, so runs (and
/// developers' checkouts) never see each other's rows.
/// </summary>
public static class TestDatabase
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Passw0rd-Test";

    private static readonly Lazy<Task<string>> Shared = new(() => CreateAsync("shared"));

    /// <summary>The run's shared, migrated and seeded database. Tests use their own holders and users in it.</summary>
    public static Task<string> SharedAsync() => Shared.Value;

    public static async Task<string> CreateAsync(string tag)
    {
        var name = $"mm_test_{tag}_{DateTime.UtcNow:MMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var admin = new NpgsqlConnection(TestEnvironment.AdminPostgres))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminPostgres) { Database = name, MaxPoolSize = 200 }.ConnectionString;
        await using var services = BuildServices(connectionString);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return connectionString;
    }

    /// <summary>Drops a database this test created with <see cref="CreateAsync"/> (never the shared one).</summary>
    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var isShared = Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully && Shared.Value.Result == connectionString;
        if (!name.StartsWith("mm_test_", StringComparison.Ordinal) || isShared)
        {
            throw new InvalidOperationException($"Refusing to drop {name}.");
        }

        await using (var own = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }

        await using var admin = new NpgsqlConnection(TestEnvironment.AdminPostgres);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public static Dictionary<string, string?> Settings(string postgres, string? redis = null) => new()
    {
        ["ConnectionStrings:Postgres"] = postgres,
        ["Redis:Configuration"] = redis ?? TestEnvironment.Redis,
        ["Admin:Email"] = AdminEmail,
        ["Admin:Password"] = AdminPassword,
        ["TicketCounter:KeyPrefix"] = new NpgsqlConnectionStringBuilder(postgres).Database + ":",
        ["OrderBook:ChannelPrefix"] = new NpgsqlConnectionStringBuilder(postgres).Database + ":",
        // The product defaults both to on. Tests of other features run without them, so a deposit executes at once
        // and an admin signs in with a password; the four-eyes and 2FA tests switch them on explicitly.
        ["Approvals:Enabled"] = "false",
        ["Security:RequireTwoFactor"] = "false",
        // A temporary signing key (outside the database, as in production); every pass that advances the chain signs it.
        ["Audit:CheckpointKeyPath"] = TestCheckpointKey.Path,
        ["Audit:CheckpointMinSeconds"] = "0",
        // Markets start with no collar and the widest limits the product allows, so tests of other features price freely; the
        // risk tests set the SPEC defaults through PUT /markets/{ct}/limits as a desk would.
        ["Risk:InitialLimits:PriceCollarPct"] = "none",
        ["Risk:InitialLimits:MaxOrderQuantity"] = "1000000000",
        ["Risk:InitialLimits:MaxOrderNotional"] = "1000000000000",
    };

    /// <summary>The Core services wired as the app wires them, without a web host.</summary>
    public static ServiceProvider BuildServices(string postgres, string? redis = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Settings(postgres, redis)).Build());
        services.AddLogging();
        services.AddMarketMakersCore();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static async Task<T> ScalarAsync<T>(string postgres, string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue($"p{i}", args[i]);
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(string postgres, string sql)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
