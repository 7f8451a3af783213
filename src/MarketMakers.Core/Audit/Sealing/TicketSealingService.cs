using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Audit.Sealing;

/// <summary>Runs the sealer in the background, off the request path: a pass every 250 ms, and passes back to back while they fill up.</summary>
public sealed class TicketSealingService(TicketSealer sealer, ILogger<TicketSealingService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                // Only a full pass means a backlog. Chasing every ticket as it arrived ran a pass, and a commit, per
                // order at low load; a pass per tick seals a quarter second's tickets at once (ADR 0006).
                while (await sealer.SealPendingAsync(cancellationToken: stoppingToken) >= TicketSealer.PassSize && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; the queue keeps every ticket until a later pass seals it.
                logger.LogWarning(ex, "Sealing pass failed; retrying");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
