using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Web.Components.Shared.Market;

/// <summary>
/// A component's live view of the markets (state and limits): re-read whenever the notifier announces a committed
/// change of either book on any instance, a halt, resume or limits change included (MarketService publishes them).
/// No polling. Bursts coalesce as in the live book: one read in flight, and one more if changes arrived meanwhile.
/// <paramref name="onChange"/> is called on the notifier's thread; the component marshals it with InvokeAsync.
/// </summary>
public sealed class MarketWatch : IDisposable
{
    private readonly MarketService _markets;
    private readonly Func<IReadOnlyList<MarketView>, Task> _onChange;
    private readonly ILogger _log;
    private readonly BookSubscription _subscription;
    private readonly Lock _gate = new();
    private bool _reading;
    private bool _dirty;

    public MarketWatch(IOrderBookNotifier notifier, MarketService markets, ILogger log, Func<IReadOnlyList<MarketView>, Task> onChange)
    {
        (_markets, _onChange, _log) = (markets, onChange, log);
        _subscription = new BookSubscription(notifier, ChangedAsync);
    }

    /// <summary>The markets as they stand now (the first render's read).</summary>
    public Task<IReadOnlyList<MarketView>> ReadAsync() => _markets.ListAsync();

    private async Task ChangedAsync(string certificateType)
    {
        lock (_gate)
        {
            if (_reading)
            {
                _dirty = true;
                return;
            }

            _reading = true;
        }

        try
        {
            do
            {
                await _onChange(await _markets.ListAsync());
            }
            while (TakeDirty());
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
        {
            _log.LogDebug(ex, "Market state update after a change of {Type} dropped (circuit closing)", certificateType);
        }
        finally
        {
            lock (_gate)
            {
                (_reading, _dirty) = (false, false);
            }
        }
    }

    private bool TakeDirty()
    {
        lock (_gate)
        {
            var dirty = _dirty;
            _dirty = false;
            return dirty;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
