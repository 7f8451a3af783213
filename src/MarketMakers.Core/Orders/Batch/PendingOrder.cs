using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;

namespace MarketMakers.Core.Orders;

/// <summary>
/// A placement waiting for its instrument's next batch: everything checked that needs no lock, and the caller
/// awaiting <see cref="Completion"/>, which is only set after the batch's COMMIT. The batch gives it its ticket id,
/// one allocation for all of its orders.
/// </summary>
internal sealed class PendingOrder(
    TicketDraft draft, RequestContext context, Guid holderId, Guid? marketMakerId, OrderTerms terms,
    IdempotencyRequest? idempotency, CancellationToken cancellationToken, Guid? traderUserId = null)
{
    public TicketDraft Draft { get; } = draft;

    private TicketNumber? _ticket;

    public bool HasTicket => _ticket is not null;

    public TicketNumber Ticket => _ticket ?? throw new InvalidOperationException("The order has no ticket id yet.");

    public void AssignTicket(TicketNumber ticket) => _ticket ??= ticket;

    public void AssignHolder(Guid holderId) => HolderId = holderId;

    public RequestContext Context { get; } = context;

    /// <summary>The ledger holder; for a client order, set by the batch from <see cref="TraderUserId"/>.</summary>
    public Guid HolderId { get; private set; } = holderId;

    /// <summary>A client order's user, whose entity and FUNDED role the batch reads under the instrument lock.</summary>
    public Guid? TraderUserId { get; } = traderUserId;

    public Guid? MarketMakerId { get; } = marketMakerId;

    public OrderTerms Spec { get; } = terms;

    public IdempotencyRequest? Idempotency { get; } = idempotency;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<Audited<PlacedOrder>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Two orders claiming the same key must not share a batch: the second has to see the first's outcome.</summary>
    public bool SharesKeyWith(PendingOrder other) =>
        Idempotency is { } mine && other.Idempotency is { } theirs && mine.Scope == theirs.Scope && mine.Key == theirs.Key;
}
