using MarketMakers.Core.Orders;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Web.Components.Shared.MarketData;

/// <summary>
/// Calls a component's refresh whenever the book of the instrument it shows now changes, on any instance: pushed by
/// <see cref="IOrderBookNotifier"/>, never polled. Bursts coalesce (one refresh in flight, at most one more after it),
/// so a busy market costs each component at most one query at a time. Dispose it with the component.
/// </summary>
public sealed class InstrumentFeed : IDisposable
{
    private readonly BookSubscription _subscription;
    private readonly Func<string> _shown;
    private readonly Func<Task> _refresh;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private bool _running;
    private bool _dirty;

    public InstrumentFeed(IOrderBookNotifier notifier, Func<string> shown, Func<Task> refresh, ILogger log)
    {
        (_shown, _refresh, _log) = (shown, refresh, log);
        _subscription = new BookSubscription(notifier, OnChangeAsync);
    }

    private async Task OnChangeAsync(string certificateType)
    {
        if (certificateType != _shown())
        {
            return;
        }

        lock (_gate)
        {
            if (_running)
            {
                _dirty = true;
                return;
            }

            _running = true;
        }

        try
        {
            do
            {
                await _refresh();
            }
            while (ContinueAfterRefresh());
        }
        catch (Exception ex)
        {
            // Never leave the feed stuck as "running": the next change must refresh again.
            lock (_gate)
            {
                (_running, _dirty) = (false, false);
            }

            var closing = ex is ObjectDisposedException or InvalidOperationException or TaskCanceledException;
            _log.Log(closing ? LogLevel.Debug : LogLevel.Warning, ex, "Live market data update for {Type} dropped", certificateType);
        }
    }

    /// <summary>True when a change arrived during the refresh; otherwise stops, in the same lock, so no change is lost.</summary>
    private bool ContinueAfterRefresh()
    {
        lock (_gate)
        {
            _running = _dirty;
            _dirty = false;
            return _running;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
