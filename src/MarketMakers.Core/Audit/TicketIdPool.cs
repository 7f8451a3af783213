namespace MarketMakers.Core.Audit;

/// <summary>
/// Ticket ids fetched ahead, for a single-threaded caller that needs them while it holds a lock (the order
/// sequencer's trade tickets): a refill takes several ids in one round trip, instead of one round trip per ticket
/// under the instrument lock. Ids stay
/// unique; a process that stops leaves at most <see cref="RefillSize"/> numbers unused (the counter already skips
/// blocks after a Redis restart, so numbers were never gap-free). Not thread-safe.
/// </summary>
public sealed class TicketIdPool(ITicketIdAllocator inner, TimeProvider clock) : ITicketIdAllocator
{
    public const int RefillSize = 16;

    private readonly Queue<TicketNumber> _ready = new();

    /// <summary>Ids ready to hand out without a round trip.</summary>
    public int Available => _ready.Count;

    /// <summary>Takes ids fetched together with others (the order sequencer's one allocation per batch).</summary>
    public void Add(IEnumerable<TicketNumber> ids)
    {
        foreach (var id in ids)
        {
            _ready.Enqueue(id);
        }
    }

    /// <summary>Tops the pool up to at least <paramref name="count"/> ids in one allocation, when it holds fewer.</summary>
    public async Task EnsureAsync(int count, CancellationToken cancellationToken = default)
    {
        if (_ready.Count < count)
        {
            Add(await inner.NextManyAsync(count - _ready.Count, cancellationToken));
        }
    }

    public async Task<TicketNumber> NextAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // A number reserved last year must not be issued with this year's timestamp.
        while (_ready.TryPeek(out var stale) && stale.Year != now.Year)
        {
            _ready.Dequeue();
        }

        if (_ready.Count == 0)
        {
            foreach (var id in await inner.NextManyAsync(RefillSize, cancellationToken))
            {
                _ready.Enqueue(id);
            }
        }

        var next = _ready.Dequeue();
        return next with { IssuedAt = now };
    }

    public async Task<IReadOnlyList<TicketNumber>> NextManyAsync(int count, CancellationToken cancellationToken = default)
    {
        var ids = new List<TicketNumber>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await NextAsync(cancellationToken));
        }

        return ids;
    }
}
