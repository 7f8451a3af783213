using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Quote ladders (SPEC §4b): replace or pull one Market Maker's quotes on one instrument, atomically. The work is one
/// <see cref="QuoteTransaction"/>; this class gives it what <see cref="BusinessActionRunner"/> gives other actions —
/// the ticket id, the idempotency replay, the FAILED ticket of a refusal (naming the level) in a transaction of its
/// own, the unexpected-failure path — and publishes the book change after the COMMIT. It is not a runner action because
/// its writes ride in the order batch's pipelined statements, not in EF's SaveChanges.
/// </summary>
public sealed class QuoteService(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    ITicketIdAllocator ids,
    IRequestContextAccessor requestContext,
    TicketStore tickets,
    IdempotencyStore idempotency,
    FailureRecorder failures,
    TimeProvider clock,
    IOrderBookNotifier notifier,
    ILogger<QuoteService> logger)
{
    public async Task<Audited<QuoteReplaceResult>> ReplaceAsync(ReplaceQuotes command, CancellationToken cancellationToken = default)
    {
        if (command.Idempotency is { } key && await idempotency.FindAsync(key, cancellationToken) is { } stored)
        {
            return Audited<QuoteReplaceResult>.Replayed(stored);
        }

        var draft = command.Draft();
        var context = requestContext.Current;
        var levelCount = command.Bids.Count + command.Asks.Count;
        // The ticket ids travel to Redis while PostgreSQL takes the instrument lock and reads the MM's quotes (round
        // trip 1): neither needs the other, so the replace waits for the slower of the two, not for both in a row.
        var reserving = ids.NextManyAsync(1 + levelCount, cancellationToken);
        TicketNumber? ticket = null;
        var commitSent = false;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await ConnectionRefusals.RetryAsync(async () => { await db.Database.OpenConnectionAsync(cancellationToken); return true; }, cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var committed = false;
            try
            {
                var begin = QuoteTransaction.BeginAsync(connection, command);
                var reserved = await ReservedAsync(reserving, begin);
                ticket = reserved[0];
                var pool = new TicketIdPool(ids, clock);
                pool.Add(reserved.Skip(1));
                var scope = new ActionScope(db, ticket.Value, draft, context, pool) { LedgerSink = [] };
                var work = new QuoteTransaction(db, connection, command, scope, pool);
                var (result, replay) = await work.RunAsync(await begin, () => commitSent = true);
                committed = result is not null;
                if (replay is not null)
                {
                    return Audited<QuoteReplaceResult>.Replayed(replay);
                }

                // Off the caller's path, as the order sequencer does: the replace is committed, and the book's viewers
                // need not be waited for.
                _ = PublishAsync(command.CertificateType);
                return new Audited<QuoteReplaceResult>(result!, ticket.Value.Value);
            }
            finally
            {
                if (!committed)
                {
                    await PipelinedRollback.RunAsync(connection, logger, "a refused quote replace");
                }
            }
        }
        catch (DomainException rejection) when (rejection.TicketId is null)
        {
            var id = ticket ?? (await reserving)[0];
            await tickets.WriteFailedAsync(draft, rejection, id, context);
            throw rejection.WithTicket(id.Value);
        }
        catch (Exception ex) when (ex is not DomainException)
        {
            // Failing before the ids arrived (PostgreSQL refusing connections, say) still gets its ticket; a failed
            // reservation is rethrown here as it was before the replace began.
            var id = ticket ?? (await reserving)[0];
            throw await failures.RecordAsync(new FailedAction(draft, id, context, cancellationToken), ex, commitSent);
        }
    }

    /// <summary>
    /// The reserved ids. When Redis (and its fallback) fails, round trip 1 is still in flight on the connection: it is
    /// awaited first, so the ROLLBACK that follows finds the connection free.
    /// </summary>
    private static async Task<IReadOnlyList<TicketNumber>> ReservedAsync(Task<IReadOnlyList<TicketNumber>> reserving, Task<QuoteBegin> begin)
    {
        try
        {
            return await reserving;
        }
        catch
        {
            try
            {
                await begin;
            }
            catch (Exception)
            {
                // The reservation's failure is the one to report; round trip 1 is rolled back either way.
            }

            throw;
        }
    }

    private async Task PublishAsync(CertificateType certificate)
    {
        try
        {
            await notifier.PublishAsync(certificate.Value, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Order book change for {Certificate} was not published after a quote replace", certificate);
        }
    }
}
