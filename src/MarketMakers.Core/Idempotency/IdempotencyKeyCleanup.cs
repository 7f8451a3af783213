using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MarketMakers.Core.Idempotency;

/// <summary>Configuration section <c>Idempotency</c> (docs/operations.md).</summary>
public sealed class IdempotencyCleanupOptions
{
    /// <summary>
    /// How long a stored key replays its response. A client retrying later than this books again, so keep it above
    /// any client's retry window; 24 h is what payment APIs (Stripe) promise.
    /// </summary>
    public double RetentionHours { get; set; } = 24;

    /// <summary>Rows one DELETE removes: each batch is its own short statement, so no long lock or WAL burst.</summary>
    public int CleanupBatchSize { get; set; } = 500;

    public double CleanupIntervalMinutes { get; set; } = 10;
}

/// <summary>What one clean-up pass did.</summary>
public sealed record IdempotencyCleanupResult(long Deleted, int Batches);

/// <summary>Deletes <c>idempotency_keys</c> rows older than the retention, oldest first, in small batches.</summary>
public sealed class IdempotencyKeyCleaner(NpgsqlDataSource dataSource, IOptions<IdempotencyCleanupOptions> options)
{
    // The cut-off uses the database clock, which also stamped created_at. SKIP LOCKED: a row some transaction holds is
    // left for a later pass rather than waited for, so several instances can run this at once without blocking.
    private const string DeleteBatch = """
        DELETE FROM idempotency_keys k
        USING (SELECT scope, key FROM idempotency_keys
               WHERE created_at < now() - $1
               ORDER BY created_at
               LIMIT $2
               FOR UPDATE SKIP LOCKED) expired
        WHERE k.scope = expired.scope AND k.key = expired.key
        """;

    public async Task<IdempotencyCleanupResult> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        long deleted = 0;
        var batches = 0;
        int last;
        do
        {
            await using var command = dataSource.CreateCommand(DeleteBatch);
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = TimeSpan.FromHours(o.RetentionHours) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = o.CleanupBatchSize });
            last = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += last;
            batches++;
        }
        while (last == o.CleanupBatchSize);

        return new IdempotencyCleanupResult(deleted, batches);
    }
}

/// <summary>Runs <see cref="IdempotencyKeyCleaner"/> at start-up and then every <see cref="IdempotencyCleanupOptions.CleanupIntervalMinutes"/>.</summary>
public sealed class IdempotencyKeyCleanupService(
    IdempotencyKeyCleaner cleaner, IOptions<IdempotencyCleanupOptions> options, ILogger<IdempotencyKeyCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CleanupIntervalMinutes));
        do
        {
            try
            {
                var result = await cleaner.DeleteExpiredAsync(stoppingToken);
                if (result.Deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} expired idempotency keys in {Batches} batches", result.Deleted, result.Batches);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; expired keys only take space, the next pass deletes them.
                logger.LogWarning(ex, "Idempotency key clean-up failed; retrying at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

public static class IdempotencyCleanupServiceCollectionExtensions
{
    /// <summary>The clean-up of expired keys as a hosted service (the web app), configured from <c>Idempotency</c>.</summary>
    public static IServiceCollection AddIdempotencyKeyCleanup(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyCleanupOptions>().BindConfiguration("Idempotency")
            .Validate(o => o.RetentionHours > 0 && o.CleanupBatchSize > 0 && o.CleanupIntervalMinutes > 0,
                "Idempotency:RetentionHours, CleanupBatchSize and CleanupIntervalMinutes must be positive.");
        services.AddSingleton<IdempotencyKeyCleaner>();
        services.AddHostedService<IdempotencyKeyCleanupService>();
        return services;
    }
}
