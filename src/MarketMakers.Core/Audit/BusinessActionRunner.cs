using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Audit;

/// <summary>
/// The one way a service runs a business action: a single transaction that holds the change and its SUCCESS
/// ticket (and, for a keyed command, the key and its stored response), or, when the action is rejected or throws,
/// a FAILED ticket written in a transaction of its own. See docs/decisions/0001-transactions-and-tickets.md.
/// </summary>
public sealed class BusinessActionRunner(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    ITicketIdAllocator ids,
    IRequestContextAccessor requestContext,
    TicketStore tickets,
    IdempotencyStore idempotencyStore,
    FailureRecorder failures)
{
    public Task<Audited<T>> RunAsync<T>(TicketDraft draft, Func<ActionScope, Task<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(draft, null, work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> once per <paramref name="idempotency"/> key: a retry of a committed request comes
    /// back as <see cref="Audited{T}.Replayed"/> without running anything.
    /// </summary>
    public async Task<Audited<T>> RunAsync<T>(
        TicketDraft draft, IdempotencyRequest? idempotency, Func<ActionScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var context = requestContext.Current;
        if (idempotency is not null && await idempotencyStore.FindAsync(idempotency, cancellationToken) is { } stored)
        {
            return Audited<T>.Replayed(stored);
        }

        var ticketId = await ids.NextAsync(cancellationToken);
        var commitSent = false;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await using var tx = await ConnectionRefusals.RetryAsync(() => db.Database.BeginTransactionAsync(cancellationToken), cancellationToken);
            if (idempotency is not null && await IdempotencyStore.ClaimAsync(db, idempotency, ticketId.Value, cancellationToken) is { } replay)
            {
                // Another request with this key committed first; this transaction rolls back untouched.
                return Audited<T>.Replayed(replay);
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
                    await IdempotencyStore.ReleaseAsync(db, idempotency);
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
                await IdempotencyStore.CompleteAsync(db, idempotency, value, ticketId.Value, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            commitSent = true;
            await tx.CommitAsync(cancellationToken);
            return new Audited<T>(value, ticketId.Value);
        }
        catch (DomainException ex) when (ex.TicketId is not null)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw await failures.RecordAsync(new FailedAction(draft, ticketId, context, cancellationToken), ex, commitSent);
        }
    }

    public Task<Audited<object?>> RunAsync(TicketDraft draft, Func<ActionScope, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(draft, null, async scope =>
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
}
