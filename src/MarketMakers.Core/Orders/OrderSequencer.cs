using System.Threading.Channels;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Orders;

public sealed class OrderSequencerOptions
{
    /// <summary>Most orders one transaction takes; more queued orders wait for the next batch.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// Benchmarks only (internal, so configuration cannot switch it off): false skips the market row, so nothing is
    /// halted or limited, to measure what the checks cost against the same run.
    /// </summary>
    internal bool MarketChecks { get; set; } = true;
}

/// <summary>
/// One queue and one drainer per certificate type in this process. The drainer takes whatever is queued (up to
/// <see cref="OrderSequencerOptions.MaxBatchSize"/>) without waiting to fill a batch, so orders that arrive while a
/// batch commits form the next one: one order alone costs one short transaction, and under load the cost of the
/// lock, the reads and the COMMIT's fsync is shared by everyone queued. Instances still serialize per instrument
/// through the advisory lock each batch takes. See docs/decisions/0009-durable-throughput.md.
/// </summary>
public sealed class OrderSequencer : IAsyncDisposable
{
    private readonly OrderBatchProcessor _processor;
    private readonly IOrderBookNotifier _notifier;
    private readonly ILogger<OrderSequencer> _logger;
    private readonly int _maxBatch;
    private readonly Dictionary<CertificateType, Channel<PendingOrder>> _queues = [];
    private readonly List<Task> _drainers = [];

    internal OrderSequencer(OrderBatchProcessor processor, IOrderBookNotifier notifier, IOptions<OrderSequencerOptions> options, ILogger<OrderSequencer> logger)
    {
        _processor = processor;
        _notifier = notifier;
        _logger = logger;
        _maxBatch = Math.Max(1, options.Value.MaxBatchSize);
        foreach (var certificate in CertificateType.All)
        {
            var queue = Channel.CreateUnbounded<PendingOrder>(new UnboundedChannelOptions { SingleReader = true });
            _queues[certificate] = queue;
            _drainers.Add(Task.Run(() => DrainAsync(certificate, queue.Reader)));
        }
    }

    internal Task<Audited<PlacedOrder>> EnqueueAsync(PendingOrder order)
    {
        if (!_queues[order.Spec.CertificateType].Writer.TryWrite(order))
        {
            throw new DomainException(DomainErrorKind.Internal, "The order service is shutting down; nothing was changed. Try again shortly.");
        }

        return order.Completion.Task;
    }

    private async Task DrainAsync(CertificateType certificate, ChannelReader<PendingOrder> reader)
    {
        var batch = new List<PendingOrder>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryPeek(out var next) && !batch.Any(next.SharesKeyWith))
            {
                reader.TryRead(out _);
                batch.Add(next);
            }

            try
            {
                if (await _processor.RunAsync(certificate, batch))
                {
                    _ = PublishAsync(certificate);
                }
            }
            catch (Exception ex)
            {
                // RunAsync completes every order itself; this only guards the drainer from a bug there.
                _logger.LogCritical(ex, "Order batch for {Certificate} escaped its handler", certificate);
                foreach (var order in batch)
                {
                    order.Completion.TrySetException(new DomainException(DomainErrorKind.Internal, "The order failed unexpectedly.", inner: ex));
                }
            }
        }
    }

    /// <summary>Once per batch, off the drainer: the next batch need not wait for Redis.</summary>
    private async Task PublishAsync(CertificateType certificate)
    {
        try
        {
            await _notifier.PublishAsync(certificate.Value, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Order book change for {Certificate} was not published", certificate);
        }
    }

    /// <summary>Stops taking orders and lets the drainers finish what is queued, so no caller is left waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues.Values)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(_drainers);
    }
}
