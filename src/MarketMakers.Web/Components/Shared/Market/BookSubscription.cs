using MarketMakers.Core.Orders;

namespace MarketMakers.Web.Components.Shared.Market;

/// <summary>
/// A component's subscription to the live books: one notifier subscription per certificate type, each calling
/// <paramref name="onChange"/> with the type that changed. Dispose it with the component. No polling.
/// </summary>
public sealed class BookSubscription : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private volatile bool _disposed;

    public BookSubscription(IOrderBookNotifier notifier, Func<string, Task> onChange, IEnumerable<string>? certificateTypes = null)
    {
        foreach (var type in certificateTypes ?? CertificateType.All.Select(c => c.Value))
        {
            _subscriptions.Add(notifier.Subscribe(type, () => _disposed ? Task.CompletedTask : onChange(type)));
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
    }
}
