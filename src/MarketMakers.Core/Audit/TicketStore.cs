using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Audit;

/// <summary>
/// Tickets written or read outside an action's own transaction: the FAILED ticket of an action that was rejected or
/// broke (its own transaction rolled back), and the "did the commit land after all?" check after a commit error.
/// Shared by <see cref="BusinessActionRunner"/> and the order sequencer, which runs many actions per transaction.
/// </summary>
public sealed class TicketStore(IDbContextFactory<MarketMakersDbContext> dbFactory, ILogger<TicketStore> logger)
{
    /// <summary>One transaction for all of them. Deliberately not cancellable: a caller going away must not erase the record of its attempt.</summary>
    public async Task WriteFailedAsync(IEnumerable<(TicketDraft Draft, DomainException Rejection, TicketNumber Id, RequestContext Context)> failures)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        foreach (var (draft, rejection, id, context) in failures)
        {
            db.Tickets.Add(Ticket.Create(FailedDraft(draft, rejection), id, TicketStatus.Failed, context));
        }

        await ConnectionRefusals.RetryAsync(() => db.SaveChangesAsync(CancellationToken.None), CancellationToken.None);
    }

    public Task WriteFailedAsync(TicketDraft draft, DomainException rejection, TicketNumber id, RequestContext context) =>
        WriteFailedAsync([(draft, rejection, id, context)]);

    /// <summary>Whether any of the tickets is stored; false when the database cannot tell (it is logged).</summary>
    public async Task<bool> AnyExistsAsync(IReadOnlyCollection<string> ticketIds)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            return await db.Tickets.AnyAsync(t => ticketIds.Contains(t.TicketId), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not check whether {TicketIds} committed", string.Join(", ", ticketIds));
            return false;
        }
    }

    public static DomainException Unexpected(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? new DomainException(DomainErrorKind.Internal, "The request was cancelled before it completed.", inner: ex)
            : new DomainException(DomainErrorKind.Internal, "The action failed unexpectedly; nothing was changed.", ex.GetType().Name + ": " + ex.Message, ex);

    /// <summary>The database went away while the commit was on the wire: the caller must look the ticket up before retrying.</summary>
    public static DomainException OutcomeUnknown(string what, string ticketId, Exception ex) =>
        new DomainException(DomainErrorKind.Internal,
            $"The database became unavailable while the {what} committed; its outcome is unknown. Look up ticket {ticketId} before retrying.",
            inner: ex).WithTicket(ticketId);

    /// <summary>Nothing committed and not even the FAILED ticket could be written.</summary>
    public static DomainException DatabaseUnavailable(Exception ex) =>
        new(DomainErrorKind.Unavailable, "The database is unavailable; nothing was changed. Try again shortly.", inner: ex);

    public static TicketDraft FailedDraft(TicketDraft draft, DomainException rejection)
    {
        var failed = new TicketDraft(draft.FailedActionType ?? draft.ActionType, draft.EntityType)
        {
            EntityId = draft.EntityId,
            UserId = draft.UserId,
            MarketMakerId = draft.MarketMakerId,
            SessionId = draft.SessionId,
            Request = draft.Request,
            Before = draft.Before,
            Response = new { error = rejection.Message, reason = rejection.Reason, kind = rejection.Kind.ToString() },
        };
        failed.RelatedTicketIds.AddRange(draft.RelatedTicketIds);
        failed.Tags.AddRange(draft.Tags);
        return failed;
    }
}
