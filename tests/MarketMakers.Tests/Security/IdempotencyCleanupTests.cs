using MarketMakers.Core.Idempotency;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketMakers.Tests.Security;

/// <summary>
/// Expired Idempotency-Keys are deleted in small batches by a hosted service, against real PostgreSQL. A database of
/// its own: the rows' ages are set by hand and every remaining row is counted.
/// </summary>
public sealed class IdempotencyCleanupTests : IAsyncLifetime
{
    private string _postgres = "";

    public async Task InitializeAsync() => _postgres = await TestDatabase.CreateAsync("idemclean");

    public Task DisposeAsync() => TestDatabase.DropAsync(_postgres);

    [Fact]
    public async Task Keys_older_than_the_retention_are_deleted_in_batches_and_younger_ones_kept()
    {
        await InsertKeysAsync("old", 10, "25 hours");
        await InsertKeysAsync("young", 4, "23 hours");
        await InsertKeysAsync("fresh", 2, "0 seconds");
        await using var services = Services(batchSize: 3);

        var result = await services.GetRequiredService<IdempotencyKeyCleaner>().DeleteExpiredAsync();

        // 3 + 3 + 3 + 1: a short last batch ends the pass.
        Assert.Equal(new IdempotencyCleanupResult(10, 4), result);
        Assert.Equal(["fresh", "young"], await RemainingPrefixesAsync());
        Assert.Equal(6L, await CountAsync());
        Assert.Equal(new IdempotencyCleanupResult(0, 1), await services.GetRequiredService<IdempotencyKeyCleaner>().DeleteExpiredAsync());
    }

    [Fact]
    public async Task The_retention_is_configurable()
    {
        await InsertKeysAsync("older", 3, "2 hours");
        await InsertKeysAsync("recent", 2, "30 minutes");
        await using var services = Services(batchSize: 500, retentionHours: 1);

        Assert.Equal(3, (await services.GetRequiredService<IdempotencyKeyCleaner>().DeleteExpiredAsync()).Deleted);
        Assert.Equal(["recent"], await RemainingPrefixesAsync());
    }

    [Fact]
    public async Task The_hosted_service_cleans_up_on_start_without_being_asked()
    {
        await InsertKeysAsync("old", 5, "30 hours");
        await InsertKeysAsync("fresh", 1, "0 seconds");
        await using var services = Services(batchSize: 2);
        var hosted = services.GetServices<IHostedService>().OfType<IdempotencyKeyCleanupService>().Single();

        await hosted.StartAsync(CancellationToken.None);
        try
        {
            // The first pass runs as the service starts; wait for its effect, bounded.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await CountAsync() > 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["fresh"], await RemainingPrefixesAsync());
    }

    private ServiceProvider Services(int batchSize, double retentionHours = 24) =>
        TestDatabase.BuildServices(_postgres, configure: s =>
        {
            s.AddIdempotencyKeyCleanup();
            s.Configure<IdempotencyCleanupOptions>(o =>
            {
                o.CleanupBatchSize = batchSize;
                o.RetentionHours = retentionHours;
            });
        });

    private Task<int> InsertKeysAsync(string prefix, int count, string age) =>
        TestDatabase.ExecuteAsync(_postgres,
            "INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, ticket_id, created_at) " +
            $"SELECT 'cleanup-test', '{prefix}-' || i, 'hash', 200, '{{}}', NULL, now() - interval '{age}' FROM generate_series(1, {count}) i");

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM idempotency_keys");

    private async Task<string[]> RemainingPrefixesAsync()
    {
        var joined = await TestDatabase.ScalarAsync<string>(_postgres,
            "SELECT coalesce(string_agg(DISTINCT split_part(key, '-', 1), ',' ORDER BY split_part(key, '-', 1)), '') FROM idempotency_keys");
        return joined.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }
}
