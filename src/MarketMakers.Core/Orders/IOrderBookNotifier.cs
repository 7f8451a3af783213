namespace MarketMakers.Core.Orders;

/// <summary>
/// Tells every app instance that an instrument's book (orders, trades) changed. The order service publishes
/// after each commit that changes a book; pages subscribe per certificate type and re-render over their
/// circuit. Delivery crosses instances through Redis pub/sub.
/// </summary>
public interface IOrderBookNotifier
{
    /// <summary>Announces a committed change to <paramref name="certificateType"/>'s book. Never throws.</summary>
    Task PublishAsync(string certificateType, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onChange"/> after every change to that book, on any instance, until disposed.</summary>
    IDisposable Subscribe(string certificateType, Func<Task> onChange);
}
