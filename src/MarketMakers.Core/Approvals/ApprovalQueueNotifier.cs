using MarketMakers.Core.Orders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketMakers.Core.Approvals;

/// <summary>
/// Tells every app instance that the approval queue changed (a request, a decision, an expiry), after commit.
/// Pages subscribe and re-read; delivery crosses instances through Redis pub/sub.
/// </summary>
public interface IApprovalQueueNotifier
{
    /// <summary>Announces a committed change to the queue. Never throws.</summary>
    Task PublishAsync();

    /// <summary>Calls <paramref name="onChange"/> after every queue change, on any instance, until disposed.</summary>
    IDisposable Subscribe(Func<Task> onChange);
}

/// <summary>
/// One Redis channel, <c>{prefix}approvals</c> (the prefix of the order book channels, so test databases sharing a
/// Redis stay apart), one subscription per process fanned out to local subscribers, as
/// <see cref="RedisOrderBookNotifier"/> does. When Redis cannot take the publish, the change is delivered locally.
/// </summary>
public sealed class RedisApprovalQueueNotifier : IApprovalQueueNotifier, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisApprovalQueueNotifier> _logger;
    private readonly RedisChannel _channel;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Func<Task>> _subscribers = new();
    private readonly SemaphoreSlim _subscribeGate = new(1, 1);
    private long _nextId;
    private volatile bool _subscribed;

    public RedisApprovalQueueNotifier(IConnectionMultiplexer redis, IOptions<OrderBookNotifierOptions> options, ILogger<RedisApprovalQueueNotifier> logger)
    {
        _redis = redis;
        _logger = logger;
        _channel = RedisChannel.Literal((options.Value.ChannelPrefix ?? "") + "approvals");
    }

    public async Task PublishAsync()
    {
        await EnsureSubscribedAsync();
        var delivered = false;
        if (_subscribed && _redis.IsConnected)
        {
            try
            {
                // Our own subscription is one of the receivers; 0 means it is not (yet) in place.
                delivered = await _redis.GetSubscriber().PublishAsync(_channel, "changed") > 0;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                _logger.LogWarning(ex, "Approval queue publish failed; delivering locally only");
            }
        }

        if (!delivered)
        {
            Dispatch();
        }
    }

    public IDisposable Subscribe(Func<Task> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var id = Interlocked.Increment(ref _nextId);
        _subscribers[id] = onChange;
        _ = EnsureSubscribedAsync();
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    /// <summary>Subscribes to the channel once; retried on later calls while Redis is unreachable.</summary>
    public async Task EnsureSubscribedAsync()
    {
        if (_subscribed)
        {
            return;
        }

        await _subscribeGate.WaitAsync();
        try
        {
            if (_subscribed || !_redis.IsConnected)
            {
                return;
            }

            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, _) => Dispatch());
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not subscribe to approval queue changes; delivering locally until Redis is back");
        }
        finally
        {
            _subscribeGate.Release();
        }
    }

    private void Dispatch()
    {
        foreach (var handler in _subscribers.Values)
        {
            _ = InvokeAsync(handler);
        }
    }

    private async Task InvokeAsync(Func<Task> handler)
    {
        try
        {
            await Task.Yield();
            await handler();
        }
        catch (Exception ex)
        {
            // One broken page must never stop the others from hearing about the change.
            _logger.LogWarning(ex, "An approval queue subscriber failed");
        }
    }

    public void Dispose()
    {
        if (_subscribed && _redis.IsConnected)
        {
            try
            {
                _redis.GetSubscriber().Unsubscribe(_channel);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                _logger.LogDebug(ex, "Unsubscribe failed during shutdown");
            }
        }

        _subscribeGate.Dispose();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
