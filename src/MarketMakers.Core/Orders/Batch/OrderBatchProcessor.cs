using System.Collections.Concurrent;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Runs one batch of placements of one certificate type (ADR 0009): ticket ids for the batch in one allocation,
/// outside the instrument lock, then one <see cref="BatchTransaction"/>, and <see cref="BatchRecovery"/> when that
/// did not commit. Dependencies run one way: the processor uses both, recovery retries through the transaction
/// alone. See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal sealed class OrderBatchProcessor
{
    private readonly ITicketIdAllocator _ids;
    private readonly TimeProvider _clock;
    private readonly ILogger<OrderBatchProcessor> _logger;
    private readonly BatchTransaction _transaction;
    private readonly BatchRecovery _recovery;

    // One per certificate type: each is used only by that type's single drainer.
    private readonly ConcurrentDictionary<CertificateType, TicketIdPool> _pools = new();

    public OrderBatchProcessor(
        IDbContextFactory<MarketMakersDbContext> dbFactory,
        ITicketIdAllocator ids,
        FailureRecorder failures,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<OrderSequencerOptions> options,
        ILogger<OrderBatchProcessor> logger)
    {
        _ids = ids;
        _clock = clock;
        _logger = logger;
        // Built here rather than registered: the batch's parts are an implementation detail of this class, and they
        // log under its category as before the split.
        _transaction = new BatchTransaction(dbFactory, logger, options.Value.MarketChecks);
        _recovery = new BatchRecovery(_transaction, failures, logger);
    }

    /// <summary>Completes every order of the batch and never throws. Returns whether any order was placed.</summary>
    public async Task<bool> RunAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch)
    {
        using var span = Telemetry.MarketMakersTelemetry.StartOrderBatch(certificate, batch.Count);
        var tradeIds = _pools.GetOrAdd(certificate, _ => new TicketIdPool(_ids, _clock));
        batch = await AssignTicketsAsync(batch, tradeIds);
        if (batch.Count == 0)
        {
            return false;
        }

        try
        {
            return await _transaction.RunAsync(certificate, batch, tradeIds);
        }
        catch (Exception ex)
        {
            return await _recovery.RecoverAsync(certificate, batch, tradeIds, ex);
        }
    }

    /// <summary>
    /// One allocation for the whole batch, outside the instrument lock. Without ids not even FAILED tickets can be
    /// written, so those orders fail with nothing changed; returns the orders that go on.
    /// </summary>
    private async Task<IReadOnlyList<PendingOrder>> AssignTicketsAsync(IReadOnlyList<PendingOrder> batch, TicketIdPool tradeIds)
    {
        var waiting = batch.Where(p => !p.HasTicket).ToList();
        if (waiting.Count == 0)
        {
            return batch;
        }

        try
        {
            // The same call tops up the trade-ticket pool to one id per order, so a usual batch (fewer fills than
            // orders) makes no Redis round trip while it holds the instrument lock.
            var topUp = Math.Max(0, batch.Count - tradeIds.Available);
            var numbers = await _ids.NextManyAsync(waiting.Count + topUp);
            for (var i = 0; i < waiting.Count; i++)
            {
                waiting[i].AssignTicket(numbers[i]);
            }

            tradeIds.Add(numbers.Skip(waiting.Count));

            return batch;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "No ticket ids for a {Count}-order batch", waiting.Count);
            foreach (var p in waiting)
            {
                p.Completion.TrySetException(TicketStore.DatabaseUnavailable(ex));
            }

            return batch.Where(p => p.HasTicket).ToList();
        }
    }
}
