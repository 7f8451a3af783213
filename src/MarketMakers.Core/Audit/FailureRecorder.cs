using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Audit;

/// <summary>An action that did not commit normally: its draft, the ticket id it was given, and who asked.</summary>
public sealed record FailedAction(TicketDraft Draft, TicketNumber Ticket, RequestContext Context, CancellationToken CancellationToken = default);

/// <summary>
/// What every audited path does when an action (or a batch of orders) fails: a commit that errored on the wire may
/// still have landed, so look first and never pair a SUCCESS with a FAILED ticket; otherwise write each FAILED
/// ticket in a transaction of its own; and when not even that is possible, tell the caller the database is
/// unavailable, or that the outcome is unknown when the commit was already sent. Shared by the business-action
/// runner and the order batch so both answer the same way.
/// </summary>
public sealed class FailureRecorder(TicketStore tickets, ILogger<FailureRecorder> logger)
{
    /// <summary>
    /// The exception each action's caller gets, in the order given, each naming its ticket where one is stored.
    /// <paramref name="commitSent"/>: the COMMIT was sent and its answer lost. <paramref name="what"/> names the
    /// action in messages ("action", "order").
    /// </summary>
    public async Task<IReadOnlyList<DomainException>> RecordAsync(
        IReadOnlyList<FailedAction> actions, Exception cause, bool commitSent, string what)
    {
        var ids = actions.Select(a => a.Ticket.Value).ToList();
        if (commitSent && await tickets.AnyExistsAsync(ids))
        {
            logger.LogWarning(cause, "Commit of {TicketIds} reported an error but it is stored", string.Join(", ", ids));
            return actions.Select(a => new DomainException(
                DomainErrorKind.Internal, $"The {what} committed but its response was lost.", inner: cause).WithTicket(a.Ticket.Value)).ToList();
        }

        var rejections = actions.Select(a => Rejection(cause, a.CancellationToken)).ToList();
        if (rejections.Any(r => r.Kind == DomainErrorKind.Internal))
        {
            logger.LogError(cause, "{What} failed unexpectedly ({TicketIds})", what, string.Join(", ", ids));
        }

        try
        {
            await tickets.WriteFailedAsync(actions.Select((a, i) => (a.Draft, rejections[i], a.Ticket, a.Context)));
            return rejections.Select((r, i) => r.WithTicket(ids[i])).ToList();
        }
        catch (Exception writeError)
        {
            // The database itself is unreachable (e.g. restarting): nothing records the attempt, so the caller gets
            // the rejection without a ticket or, when the commit was already on the wire, the ticket id to look up.
            logger.LogError(writeError, "Could not record FAILED tickets {TicketIds}", string.Join(", ", ids));
            return rejections.Select((r, i) => commitSent
                ? TicketStore.OutcomeUnknown(what, ids[i], cause)
                : r.Kind == DomainErrorKind.Internal ? TicketStore.DatabaseUnavailable(cause) : r).ToList();
        }
    }

    /// <summary>Whether any of the actions' tickets is stored: their commit landed after all.</summary>
    public Task<bool> AnyStoredAsync(IReadOnlyList<FailedAction> actions) => tickets.AnyExistsAsync(actions.Select(a => a.Ticket.Value).ToList());

    /// <summary>One action's failure; see <see cref="RecordAsync(IReadOnlyList{FailedAction}, Exception, bool, string)"/>.</summary>
    public async Task<DomainException> RecordAsync(FailedAction action, Exception cause, bool commitSent) =>
        (await RecordAsync([action], cause, commitSent, "action"))[0];

    /// <summary>A fresh exception per caller: the same one must not carry several ticket ids.</summary>
    private static DomainException Rejection(Exception cause, CancellationToken cancellationToken) =>
        cause is DomainException domain
            ? new DomainException(domain.Kind, domain.Message, domain.Reason, domain.InnerException)
            : TicketStore.Unexpected(cause, cancellationToken);
}
