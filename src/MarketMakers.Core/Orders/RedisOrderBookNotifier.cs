using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketMakers.Core.Orders;

public sealed class OrderBookNotifierOptions
{
    /// <summary>
    /// Prepended to the channel names (<c>{prefix}orderbook:{CERTIFICATE_TYPE}</c>). Empty in production; set when
    /// several databases share one Redis (the test suite), so one database's books never wake another's pages.
    /// </summary>
    public string ChannelPrefix { get; set; } = "";
}

/// <summary>
/// Redis pub/sub carries every book change to every instance: one pattern subscription per process, fanned out
/// to local subscribers per certificate type. When Redis cannot take the publish (down, not yet subscribed),
/// the change is delivered locally so a single instance still updates. No polling anywhere.
/// </summary>
public sealed class RedisOrderBookNotifier : IOrderBookNotifier, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisOrderBookNotifier> _logger;
    private readonly string _prefix;
    private readonly RedisChannel _pattern;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, Func<Task>>> _subscribers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribeGate = new(1, 1);
    private long _nextId;
    private volatile bool _subscribed;

    public RedisOrderBookNotifier(IConnectionMultiplexer redis, IOptions<OrderBookNotifierOptions> options, ILogger<RedisOrderBookNotifier> logger)
    {
        _redis = redis;
        _logger = logger;
        _prefix = options.Value.ChannelPrefix ?? "";
        _pattern = RedisChannel.Pattern(_prefix + "orderbook:*");
    }

    public string ChannelFor(string certificateType) => _prefix + "orderbook:" + certificateType;

    public async Task PublishAsync(string certificateType, CancellationToken cancellationToken = default)
    {
        await EnsureSubscribedAsync();
        var delivered = false;
        // While Redis is disconnected a publish would only wait for its timeout: deliver locally at once.
        if (_subscribed && _redis.IsConnected)
        {
            try
            {
                var receivers = await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ChannelFor(certificateType)), "changed");
                // Our own pattern subscription is one of the receivers; 0 means it is not (yet) in place.
                delivered = receivers > 0;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                _logger.LogWarning(ex, "Order book publish for {CertificateType} failed; delivering locally only", certificateType);
            }
        }

        if (!delivered)
        {
            Dispatch(certificateType);
        }
    }

    public IDisposable Subscribe(string certificateType, Func<Task> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var id = Interlocked.Increment(ref _nextId);
        var forType = _subscribers.GetOrAdd(certificateType, _ => new ConcurrentDictionary<long, Func<Task>>());
        forType[id] = onChange;
        _ = EnsureSubscribedAsync();
        return new Subscription(() => forType.TryRemove(id, out _));
    }

    /// <summary>Subscribes to the Redis pattern once; retried on later calls while Redis is unreachable.</summary>
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

            await _redis.GetSubscriber().SubscribeAsync(_pattern, (channel, _) =>
            {
                var name = channel.ToString();
                if (name.StartsWith(_prefix + "orderbook:", StringComparison.Ordinal))
                {
                    Dispatch(name[(_prefix.Length + "orderbook:".Length)..]);
                }
            });
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not subscribe to order book changes; delivering locally until Redis is back");
        }
        finally
        {
            _subscribeGate.Release();
        }
    }

    private void Dispatch(string certificateType)
    {
        if (!_subscribers.TryGetValue(certificateType, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Values)
        {
            _ = InvokeAsync(handler, certificateType);
        }
    }

    private async Task InvokeAsync(Func<Task> handler, string certificateType)
    {
        try
        {
            await Task.Yield();
            await handler();
        }
        catch (Exception ex)
        {
            // One broken page must never stop the others from hearing about the change.
            _logger.LogWarning(ex, "An order book subscriber for {CertificateType} failed", certificateType);
        }
    }

    public void Dispose()
    {
        // While Redis is disconnected a publish would only wait for its timeout: deliver locally at once.
        if (_subscribed && _redis.IsConnected)
        {
            try
            {
                _redis.GetSubscriber().Unsubscribe(_pattern);
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
