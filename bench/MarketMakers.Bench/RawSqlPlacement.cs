using System.Threading.Channels;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// The raw-SQL baseline for the placement scenario: the statements the app's batched placement sends, hand-written
/// with Npgsql and batched the same way, so that "app ≥ 0.5 × baseline" compares like with like. Nothing per order
/// before queueing. Per batch: its order ticket ids in one allocation from the same Redis allocator, then one
/// transaction in two round trips (<see cref="RawSqlBatch"/>): [BEGIN, advisory lock, candidate read, the traders'
/// entities and roles, balance-row lock, id reservation], matching in memory, [inserts, tickets, updates, COMMIT] —
/// however many orders the batch holds. Trade tickets come from a pool fetched ahead, as the app's.
/// Only the two order shapes of the workload are supported (BUY 1 @ 100 crossing the MM ask, SELL 1 @ 200 resting).
/// </summary>
internal sealed class RawSqlPlacement : IAsyncDisposable
{
    /// <summary>As <c>OrderSequencerOptions.MaxBatchSize</c>'s default.</summary>
    private const int MaxBatch = 64;

    private readonly NpgsqlDataSource _ds;
    private readonly ITicketIdAllocator _ids;
    private readonly Guid _marketMakerId;

    // Trade tickets are numbered while the batch holds the instrument lock: like the app, fetch them ahead in
    // pipelined blocks so that the lock is not held across one Redis round trip per trade.
    private readonly TicketIdPool _tradeIds;
    private readonly Channel<RawPending> _queue = Channel.CreateUnbounded<RawPending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _drainer;
    private long _batches;
    private long _orders;

    public RawSqlPlacement(string connectionString, ITicketIdAllocator ids, Guid marketMakerId)
    {
        _ds = NpgsqlDataSource.Create(connectionString);
        _ids = ids;
        _marketMakerId = marketMakerId;
        _tradeIds = new TicketIdPool(ids, TimeProvider.System);
        _drainer = Task.Run(DrainAsync);
    }

    /// <summary>Places one order of the workload and returns once the batch that holds it has committed.</summary>
    public async Task PlaceAsync(Guid userId, Guid holderId, bool buy)
    {
        // As the app: the user's role and entity are read in the batch's first round trip, not per order.
        var pending = new RawPending(userId, holderId, buy);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The baseline is shutting down.");
        }

        await pending.Done.Task;
    }

    /// <summary>
    /// The single drainer: takes whatever is queued (up to <see cref="MaxBatch"/>) without waiting for a batch to
    /// fill, so an order alone costs one short transaction and orders arriving during a COMMIT form the next batch.
    /// </summary>
    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<RawPending>(MaxBatch);
        var json = new RawTicketJson();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                // As the app: the batch's order tickets in one allocation before the instrument lock, which also tops up
                // the trade-ticket pool so that no Redis round trip happens under the lock.
                var numbers = await _ids.NextManyAsync(batch.Count + Math.Max(0, batch.Count - _tradeIds.Available));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Ticket = numbers[i];
                }

                _tradeIds.Add(numbers.Skip(batch.Count));

                // No NpgsqlTransaction: as the app, the batch's own round trips begin and commit it.
                await using (var conn = await _ds.OpenConnectionAsync())
                {
                    await new RawSqlBatch(conn, _tradeIds, json, _marketMakerId).RunAsync(batch);
                }

                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _orders, batch.Count);

                // Only now: a caller must never hear "placed" for an order that could still roll back.
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                // No per-order recovery as in the app (the workload never triggers one): the whole batch fails.
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    /// <summary>Committed batches and their orders since the last call, to set the baseline's batch sizes beside the app's.</summary>
    public (long Batches, long Orders) TakeCounts() => (Interlocked.Exchange(ref _batches, 0), Interlocked.Exchange(ref _orders, 0));

    /// <summary>Stops taking orders, lets the drainer finish what is queued, then closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drainer;
        await _ds.DisposeAsync();
    }
}

/// <summary>An order waiting for the baseline's next batch, and what the batch worked out for it.</summary>
internal sealed class RawPending(Guid userId, Guid holderId, bool buy)
{
    public Guid UserId { get; } = userId;

    public Guid HolderId { get; } = holderId;

    public bool Buy { get; } = buy;

    public TicketNumber Ticket { get; set; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RawOrder Order { get; set; } = null!;

    /// <summary>The holder's certificate and EUR balance before the order (the ticket's before_state).</summary>
    public (RawBalance.View Cert, RawBalance.View Eur) Before { get; set; }

    public RawEffect LockEffect { get; set; } = null!;

    public List<RawTrade> Trades { get; } = [];

    /// <summary>The order as its own action left it (a later order of the batch could still fill it).</summary>
    public (long Filled, string Status) After { get; set; }
}
