using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Persistence;

namespace MarketMakers.Core.Orders;

/// <summary>
/// One order of a batch attempt: the pending order, the <see cref="ActionScope"/> it is placed in, whether it claimed
/// its Idempotency-Key in this transaction, and its outcome. Every order gets exactly one outcome before the write
/// round trip: placed, rejected (a FAILED ticket in the same transaction) or replayed (nothing written). Its caller
/// hears it only in <see cref="Complete"/>, after the COMMIT.
/// </summary>
internal sealed class BatchItem(PendingOrder order, ActionScope scope)
{
    private Func<PlacedOrder>? _finish;

    public PendingOrder Order { get; } = order;

    public ActionScope Scope { get; } = scope;

    /// <summary>This transaction holds the order's key: a rejection must release it, a placement completes it.</summary>
    public bool ClaimedKey { get; private set; }

    public DomainException? Rejection { get; private set; }

    public StoredResponse? Replay { get; private set; }

    /// <summary>Set by <see cref="RecordAsync"/>: rendering needs the ids and sequences reserved for the batch.</summary>
    public PlacedOrder? Result { get; private set; }

    /// <summary>No outcome yet: the order still takes part in the batch's next pass.</summary>
    public bool IsOpen => _finish is null && Rejection is null && Replay is null;

    public void Reject(DomainException rejection)
    {
        EnsureOpen();
        Rejection = rejection;
    }

    public void Replayed(StoredResponse replay)
    {
        EnsureOpen();
        Replay = replay;
    }

    /// <summary><paramref name="finish"/> renders the result once the batch's reserved ids are assigned.</summary>
    public void Placed(Func<PlacedOrder> finish)
    {
        EnsureOpen();
        _finish = finish;
    }

    public void MarkClaimed() => ClaimedKey = true;

    /// <summary>Runs <paramref name="check"/>; its <see cref="DomainException"/> becomes this order's rejection.</summary>
    public void RejectOnFailure(Action check)
    {
        try
        {
            check();
        }
        catch (DomainException rejection)
        {
            Reject(rejection);
        }
    }

    /// <summary>As <see cref="RejectOnFailure"/>, for a check that reads the database.</summary>
    public async Task RejectOnFailureAsync(Func<Task> check)
    {
        try
        {
            await check();
        }
        catch (DomainException rejection)
        {
            Reject(rejection);
        }
    }

    /// <summary>Adds the order's tickets (and its key's stored response) to the batch's transaction.</summary>
    public async Task RecordAsync(MarketMakersDbContext db, List<Ticket> records)
    {
        if (Replay is not null)
        {
            return;
        }

        if (Rejection is { } rejection)
        {
            if (ClaimedKey)
            {
                // A refused order does not use up its key: the client may retry once the cause is fixed.
                await IdempotencyStore.ReleaseAsync(db, Order.Idempotency!);
            }

            records.Add(Ticket.Create(TicketStore.FailedDraft(Order.Draft, rejection), Order.Ticket, TicketStatus.Failed, Order.Context));
            return;
        }

        var result = _finish!();
        Result = result;
        records.Add(Ticket.Create(Order.Draft, Order.Ticket, TicketStatus.Success, Order.Context));
        foreach (var (id, extra) in Scope.ExtraTickets)
        {
            records.Add(Ticket.Create(extra, id, TicketStatus.Success, Order.Context));
        }

        if (Order.Idempotency is { } key)
        {
            await IdempotencyStore.CompleteAsync(db, key, result, Order.Ticket.Value, CancellationToken.None);
        }
    }

    /// <summary>Answers the caller; only after the batch's COMMIT.</summary>
    public void Complete()
    {
        if (Replay is { } replay)
        {
            Order.Completion.TrySetResult(Audited<PlacedOrder>.Replayed(replay));
        }
        else if (Rejection is { } rejection)
        {
            Order.Completion.TrySetException(rejection.WithTicket(Order.Ticket.Value));
        }
        else
        {
            Order.Completion.TrySetResult(new Audited<PlacedOrder>(Result!, Order.Ticket.Value));
        }
    }

    /// <summary>An order is decided once: a second outcome would be a bug in the passes, not a business case.</summary>
    private void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Order {Order.Ticket.Value} already has an outcome.");
        }
    }
}
