using MarketMakers.Core.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace MarketMakers.Core.Telemetry;

/// <summary>
/// Reads the gauges' values off the request path: the sealer's backlog and the pending approvals every
/// <c>Telemetry:SampleSeconds</c> (two small queries), and a full ledger reconciliation every
/// <c>Telemetry:ReconciliationSeconds</c> (it reads every balance and ledger row, so rarely; 0 switches it off).
/// </summary>
public sealed class OperationalSampler(
    NpgsqlDataSource dataSource,
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<OperationalSampler> logger) : BackgroundService
{
    // The oldest queued ticket in the order the sealer takes them; count(*) over the queue is small unless it lags.
    private const string SealingSql = """
        SELECT (SELECT count(*) FROM ticket_seal_queue),
               COALESCE((SELECT EXTRACT(EPOCH FROM now() - t.timestamp)::float8
                         FROM (SELECT ticket_id FROM ticket_seal_queue
                               ORDER BY substr(ticket_id, 5, 4), length(ticket_id), ticket_id LIMIT 1) q
                         JOIN LATERAL (SELECT timestamp FROM ticket_logs WHERE ticket_id = q.ticket_id LIMIT 1) t ON true), 0),
               (SELECT count(*) FROM movement_requests WHERE status = 'PENDING')
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Telemetry:SampleSeconds", 15)));
        var reconcileEvery = TimeSpan.FromSeconds(configuration.GetValue("Telemetry:ReconciliationSeconds", 900));
        // Not at once: instances starting together (a deployment) would all scan the ledger in the same second.
        var nextReconciliation = clock.GetUtcNow() + TimeSpan.FromTicks(Math.Min(reconcileEvery.Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
                if (reconcileEvery > TimeSpan.Zero && clock.GetUtcNow() >= nextReconciliation)
                {
                    nextReconciliation = clock.GetUtcNow() + reconcileEvery;
                    await using var scope = scopes.CreateAsyncScope();
                    var report = await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync(stoppingToken);
                    OperationalState.SetReconciliation(report.Mismatches.Count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last values; a database outage shows on /health, not here.
                logger.LogWarning(ex, "Sampling the operational gauges failed; retrying");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round trip for the sealer's lag and the approvals queue.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        OperationalState.SetRedis(redis.IsConnected);
        await using var cmd = dataSource.CreateCommand(SealingSql);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        OperationalState.SetSealing(reader.GetInt64(0), reader.GetDouble(1));
        OperationalState.SetPendingApprovals(reader.GetInt64(2));
    }
}
