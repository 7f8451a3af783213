using System.Net;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Npgsql;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18: <c>/health/live</c> is the process alone, <c>/health/ready</c> is migrations plus PostgreSQL (Redis down
/// is Degraded and still ready), and <c>/health</c> stays as it was.
/// </summary>
public sealed class HealthEndpointTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Live_and_ready_answer_200_with_every_check_healthy_on_a_migrated_database()
    {
        using var client = app.CreateApiClient();

        var (liveStatus, live) = await GetAsync(client, "/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());
        Assert.False(live.TryGetProperty("postgres", out _), "live must not depend on the database");

        var (readyStatus, ready) = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        foreach (var check in new[] { "postgres", "redis", "migrations" })
        {
            Assert.Equal("Healthy", ready.GetProperty(check).GetProperty("status").GetString());
        }

        var (healthStatus, health) = await GetAsync(client, "/health");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
        Assert.Equal("Healthy", health.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Redis_down_is_degraded_but_still_ready()
    {
        await using var factory = new OperationsAppFactory(redis: OperationsAppFactory.UnreachableRedis());
        await factory.InitializeAsync();
        using var client = factory.CreateApiClient();

        var (status, ready) = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());
        Assert.Equal("Degraded", ready.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);

        // Still trading on the PostgreSQL fallback, and the metric says so.
        factory.RemoteIp = IPAddress.Loopback;
        using var admin = await factory.CreateAdminClientAsync();
        await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["EUA"] = "5" }, "redis-down");
        var metrics = await client.GetStringAsync("/metrics");
        Assert.True(TelemetryTests.Value(metrics, "marketmakers_ticket_ids_fallback_total") >= 2, "ticket ids from the fallback are not counted");
    }

    [Fact]
    public async Task A_database_without_the_migrations_is_live_but_not_ready()
    {
        var name = $"mm_test_unmigrated_{DateTime.UtcNow:MMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        await TestDatabase.ExecuteAsync(TestEnvironment.AdminPostgres, $"CREATE DATABASE \"{name}\"");
        var postgres = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminPostgres) { Database = name }.ConnectionString;
        try
        {
            await using (var factory = new OperationsAppFactory(
                             new Dictionary<string, string?> { ["Database:SkipInitialization"] = "true", ["Audit:Sealing:Enabled"] = "false" }, postgres))
            {
                await factory.InitializeAsync();
                using var client = factory.CreateApiClient();

                Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);
                var (status, ready) = await GetAsync(client, "/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
                Assert.Equal("Healthy", ready.GetProperty("postgres").GetProperty("status").GetString());
                var migrations = ready.GetProperty("migrations");
                Assert.Equal("Unhealthy", migrations.GetProperty("status").GetString());
                Assert.Contains("not applied", migrations.GetProperty("error").GetString());
            }
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement);
    }
}
