using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Audit;

/// <summary>
/// Folds the statistics delta rows that ticket inserts leave behind into the hourly rollup (ADR 0007). Statistics
/// are correct without it (readers add the delta), it only keeps the delta small so that reading it stays cheap.
/// </summary>
public sealed class TicketStatsCompactor(NpgsqlDataSource dataSource)
{
    /// <summary>Runs one pass; returns how many tickets' counts were moved (0 if another instance holds the pass).</summary>
    public async Task<long> CompactAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT compact_ticket_stats()");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>Runs <see cref="TicketStatsCompactor"/> in the background, off the request path, every few seconds.</summary>
public sealed class TicketStatsCompactionService(TicketStatsCompactor compactor, ILogger<TicketStatsCompactionService> logger) : BackgroundService
{
    // At ~1,000 tickets/s the delta holds at most a few thousand rows between passes: still a trivial scan for a reader.
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await compactor.CompactAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; the delta keeps every count until a later pass moves it.
                logger.LogWarning(ex, "Ticket statistics compaction failed; retrying");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
