using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Persistence;

namespace MarketMakers.Core.Audit;

/// <summary>
/// What a business action sees while it runs inside <see cref="BusinessActionRunner"/>: one DbContext with an
/// open transaction, the ticket id allocated for this attempt, and the ticket draft to fill in.
/// </summary>
public sealed class ActionScope
{
    private readonly ITicketIdAllocator _ids;
    private readonly List<(TicketNumber Id, TicketDraft Draft)> _extraTickets = [];

    internal ActionScope(MarketMakersDbContext db, TicketNumber ticket, TicketDraft draft, RequestContext context, ITicketIdAllocator ids)
    {
        Db = db;
        Ticket = ticket;
        Draft = draft;
        Context = context;
        _ids = ids;
    }

    public MarketMakersDbContext Db { get; }

    public TicketNumber Ticket { get; }

    public string TicketId => Ticket.Value;

    public DateTimeOffset Now => Ticket.IssuedAt;

    public TicketDraft Draft { get; }

    public RequestContext Context { get; }

    /// <summary>
    /// Commit what the action wrote even when it is then rejected, together with the FAILED ticket. Only for
    /// rejections that must leave a trace beyond the ticket, such as a sign-in failure counting towards lockout.
    /// </summary>
    public bool KeepChangesOnRejection { get; set; }

    internal IReadOnlyList<(TicketNumber Id, TicketDraft Draft)> ExtraTickets => _extraTickets;

    /// <summary>
    /// When set, ledger rows are collected here in the order they happen instead of being added to the DbContext,
    /// so a batch can insert them in that order with one statement (EF does not keep insert order within a save).
    /// </summary>
    internal List<Ledger.AssetTransaction>? LedgerSink { get; init; }

    /// <summary>
    /// Adds another SUCCESS ticket to the same transaction (an initial deposit, an executed trade). It commits or
    /// vanishes with the action.
    /// </summary>
    public async Task<string> AddTicketAsync(TicketDraft draft, CancellationToken cancellationToken = default)
    {
        var id = await _ids.NextAsync(cancellationToken);
        _extraTickets.Add((id, draft));
        return id.Value;
    }
}

/// <summary>
/// The outcome of a business action that did not fail: either it committed now (<see cref="Value"/> and its
/// SUCCESS ticket), or its idempotency key had already committed it, and <see cref="Replay"/> holds that first
/// response. A replay is an ordinary result, never an exception.
/// </summary>
public sealed class Audited<T>
{
    private readonly T _value;

    public Audited(T value, string ticketId)
    {
        _value = value;
        TicketId = ticketId;
    }

    private Audited(StoredResponse replay)
    {
        _value = default!;
        Replay = replay;
        TicketId = replay.TicketId ?? "";
    }

    public static Audited<T> Replayed(StoredResponse replay) => new(replay);

    /// <summary>The SUCCESS ticket of the effect: this request's, or the first request's on a replay.</summary>
    public string TicketId { get; }

    public StoredResponse? Replay { get; }

    public bool IsReplay => Replay is not null;

    public T Value => Replay is null ? _value : throw new InvalidOperationException("A replayed action has only its stored response.");
}
