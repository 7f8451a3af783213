using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Approvals;

/// <summary>
/// Expires PENDING requests past their deadline, each with its LEDGER_MOVEMENT_EXPIRED ticket (system actor) in the
/// transaction that changes its state. Rows are taken with <c>FOR UPDATE SKIP LOCKED</c>: several instances sweeping
/// at once (or an approval in flight) never take the same request, and a request that another transaction already
/// decided no longer matches <c>status = 'PENDING'</c> when its lock is granted, so each request expires exactly once.
/// </summary>
public sealed class MovementRequestExpirer(
    IDbContextFactory<MarketMakersDbContext> dbFactory, ITicketIdAllocator ids, IApprovalQueueNotifier notifier, TimeProvider time)
{
    public const int BatchSize = 100;

    /// <summary>Expires everything due now; returns how many requests this call expired.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var total = 0;
        int expired;
        do
        {
            expired = await ExpireBatchAsync(now, cancellationToken);
            total += expired;
        }
        while (expired == BatchSize);

        if (total > 0)
        {
            await notifier.PublishAsync();
        }

        return total;
    }

    private async Task<int> ExpireBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.MovementRequests
            .FromSql($"""
                SELECT * FROM movement_requests WHERE status = 'PENDING' AND expires_at <= {now}
                ORDER BY expires_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(cancellationToken);
        foreach (var request in due)
        {
            var ticket = await ids.NextAsync(cancellationToken);
            var before = MovementRequestView.From(request);
            request.Expire(ticket.IssuedAt, ticket.Value);
            var draft = ApproveMovement.Decision(ActionTypes.LedgerMovementExpired, request.Id.ToString(), new { request_id = request.Id, expires_at = request.ExpiresAt }, "expire");
            draft.MarketMakerId = request.MarketMakerId;
            draft.Before = before;
            draft.After = new { request = MovementRequestView.From(request) };
            var entityId = request.Id.ToString();
            draft.RelatedTicketIds.AddRange(await db.Tickets.AsNoTracking()
                .Where(t => t.EntityId == entityId && t.EntityType == EntityTypes.MovementRequest)
                .OrderBy(t => t.Year).ThenBy(t => t.Number).Select(t => t.TicketId).ToListAsync(cancellationToken));
            db.Tickets.Add(Ticket.Create(draft, ticket, TicketStatus.Success, RequestContext.System));
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return due.Count;
    }
}

/// <summary>Runs the expiry every <see cref="ApprovalOptions.SweepInterval"/>; with four-eyes off it only warns that it is off.</summary>
public sealed class MovementRequestExpiryService(
    MovementRequestExpirer expirer, IOptions<ApprovalOptions> options, ILogger<MovementRequestExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("Four-eyes approvals are OFF (Approvals:Enabled=false): manual ledger movements execute at once, without a second administrator");
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                if (await expirer.ExpireDueAsync(stoppingToken) is > 0 and var count)
                {
                    logger.LogInformation("Expired {Count} movement requests", count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting; a request stays PENDING (and unapprovable past its deadline) until a later pass.
                logger.LogWarning(ex, "Movement request expiry failed; retrying at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
