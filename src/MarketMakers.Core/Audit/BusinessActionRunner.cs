using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Audit;

/// <summary>
/// The one way a service runs a business action: a single transaction that holds the change and its SUCCESS
/// ticket, or, when the action is rejected or throws, a FAILED ticket written in a transaction of its own.
/// See docs/decisions/0001-transactions-and-tickets.md.
/// </summary>
public sealed class BusinessActionRunner(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    ITicketIdAllocator ids,
    IRequestContextAccessor requestContext,
    TicketStore tickets,
    ILogger<BusinessActionRunner> logger,
    IdempotencyContext? idempotencyContext = null)
{
    /// <summary>The idempotency request handed to the next action of this scope, if any (taken: only one action uses it).</summary>
    internal IdempotencyRequest? TakeIdempotency() => idempotencyContext?.Take();

    public async Task<Audited<T>> RunAsync<T>(TicketDraft draft, Func<ActionScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var idempotency = idempotencyContext?.Take();
        var context = requestContext.Current;
        if (idempotency is not null)
        {
            await ReplayIfStoredAsync(idempotency, cancellationToken);
        }

        var ticketId = await ids.NextAsync(cancellationToken);
        var commitAttempted = false;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await using var tx = await ConnectionRefusals.RetryAsync(() => db.Database.BeginTransactionAsync(cancellationToken), cancellationToken);
            if (idempotency is not null)
            {
                await ClaimKeyAsync(db, idempotency, ticketId.Value, cancellationToken);
            }

            var scope = new ActionScope(db, ticketId, draft, context, ids);
            T value;
            try
            {
                value = await work(scope);
            }
            catch (DomainException rejection) when (scope.KeepChangesOnRejection)
            {
                if (idempotency is not null)
                {
                    // A rejected action does not use up its key: the client may retry it once the cause is fixed.
                    await ReleaseKeyAsync(db, idempotency);
                }

                db.Tickets.Add(Ticket.Create(TicketStore.FailedDraft(draft, rejection), ticketId, TicketStatus.Failed, context));
                await db.SaveChangesAsync(CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
                throw rejection.WithTicket(ticketId.Value);
            }

            db.Tickets.Add(Ticket.Create(draft, ticketId, TicketStatus.Success, context));
            foreach (var (id, extra) in scope.ExtraTickets)
            {
                db.Tickets.Add(Ticket.Create(extra, id, TicketStatus.Success, context));
            }

            if (idempotency is not null)
            {
                await StoreResponseAsync(db, idempotency, idempotency.RenderResponse(value, ticketId.Value), cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            commitAttempted = true;
            await tx.CommitAsync(cancellationToken);
            return new Audited<T>(value, ticketId.Value);
        }
        catch (DomainException ex) when (ex.TicketId is not null)
        {
            throw;
        }
        catch (IdempotentReplayException)
        {
            // Another request with this key committed first; this one's transaction rolls back untouched.
            throw;
        }
        catch (Exception ex)
        {
            // A commit that failed on the wire may still have committed; never pair a SUCCESS with a FAILED ticket.
            if (commitAttempted && await tickets.AnyExistsAsync([ticketId.Value]))
            {
                logger.LogWarning(ex, "Commit of {TicketId} reported an error but the ticket is stored", ticketId.Value);
                throw new DomainException(DomainErrorKind.Internal, "The action committed but its response was lost.", inner: ex)
                    .WithTicket(ticketId.Value);
            }

            var rejection = ex as DomainException ?? TicketStore.Unexpected(ex, cancellationToken);
            if (rejection.Kind == DomainErrorKind.Internal)
            {
                logger.LogError(ex, "Action {ActionType} failed unexpectedly ({TicketId})", draft.ActionType, ticketId.Value);
            }

            try
            {
                await tickets.WriteFailedAsync(draft, rejection, ticketId, context);
            }
            catch (Exception writeError)
            {
                // The database itself is unreachable (e.g. restarting): nothing records the attempt, so the caller gets
                // the rejection without a ticket, or, when the commit was already on the wire, the ticket id to look up.
                logger.LogError(writeError, "Could not record FAILED ticket {TicketId} for {ActionType}", ticketId.Value, draft.ActionType);
                if (commitAttempted)
                {
                    throw TicketStore.OutcomeUnknown("action", ticketId.Value, ex);
                }

                throw rejection.Kind == DomainErrorKind.Internal
                    ? TicketStore.DatabaseUnavailable(ex)
                    : rejection;
            }

            throw rejection.WithTicket(ticketId.Value);
        }
    }

    public Task<Audited<object?>> RunAsync(TicketDraft draft, Func<ActionScope, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(draft, async scope =>
        {
            await work(scope);
            return null;
        }, cancellationToken);

    /// <summary>Records a request refused at the boundary (malformed input) before any service code ran.</summary>
    public async Task<DomainException> RejectAsync(TicketDraft draft, DomainException rejection, CancellationToken cancellationToken = default)
    {
        var ticketId = await ids.NextAsync(cancellationToken);
        await tickets.WriteFailedAsync(draft, rejection, ticketId, requestContext.Current);
        return rejection.WithTicket(ticketId.Value);
    }

    /// <summary>Fast path for a retry arriving after the first request committed: no ticket number is spent.</summary>
    internal async Task ReplayIfStoredAsync(IdempotencyRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.Scope == request.Scope && k.Key == request.Key, cancellationToken);
        if (stored is not null && stored.RequestHash == request.RequestHash)
        {
            throw new IdempotentReplayException(stored.StatusCode, stored.ResponseBody, stored.TicketId);
        }

        // A stored key with another request falls through to ClaimKeyAsync, which records the FAILED ticket.
    }

    /// <summary>
    /// Inserts the key first thing in the action's transaction. A concurrent request with the same key blocks on
    /// the primary key until this one commits or rolls back, then either replays the stored response or (after a
    /// rollback) claims the key itself: one effect, whatever the interleaving.
    /// </summary>
    internal static async Task ClaimKeyAsync(MarketMakersDbContext db, IdempotencyRequest request, string ticketId, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $@"INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, ticket_id, created_at)
               VALUES ({request.Scope}, {request.Key}, {request.RequestHash}, 0, '', {ticketId}, now())
               ON CONFLICT (scope, key) DO NOTHING",
            cancellationToken);
        if (inserted == 1)
        {
            return;
        }

        var stored = await db.IdempotencyKeys.AsNoTracking()
            .SingleAsync(k => k.Scope == request.Scope && k.Key == request.Key, cancellationToken);
        if (stored.RequestHash != request.RequestHash)
        {
            throw DomainException.Conflict("This Idempotency-Key was already used for a different request.");
        }

        throw new IdempotentReplayException(stored.StatusCode, stored.ResponseBody, stored.TicketId);
    }

    internal static Task<int> ReleaseKeyAsync(MarketMakersDbContext db, IdempotencyRequest request) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM idempotency_keys WHERE scope = {request.Scope} AND key = {request.Key}", CancellationToken.None);

    /// <summary>The stored response of a claimed key, written in the action's transaction so it commits with the effect.</summary>
    internal static Task<int> StoreResponseAsync(MarketMakersDbContext db, IdempotencyRequest request, string body, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE idempotency_keys SET status_code = 200, response_body = {body} WHERE scope = {request.Scope} AND key = {request.Key}",
            cancellationToken);
}
