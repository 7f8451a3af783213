using System.Collections.Concurrent;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketMakers.Core.Identity;

/// <summary>What a session check needs to know about a user; revoked session ids are those not yet expired.</summary>
public sealed record SessionState(string SecurityStamp, bool IsActive, bool TwoFactorEnabled, bool IsStaff, IReadOnlySet<string> RevokedSessions)
{
    public bool Allows(string? stamp, string? sessionId) =>
        IsActive && stamp == SecurityStamp && (sessionId is null || !RevokedSessions.Contains(sessionId));
}

/// <summary>
/// Checks every authenticated request (cookie and bearer) against the user's current stamp, activity and revoked
/// sessions without a database round trip: the state is cached per user and dropped when it changes, locally at once
/// and on every other instance through Redis pub/sub. A short TTL bounds staleness if a message is lost (Redis down).
/// </summary>
public sealed class SessionCache : IUserSessionEvents, IDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, (SessionState State, DateTimeOffset LoadedAt)> _cache = new();
    private readonly IDbContextFactory<MarketMakersDbContext> _dbFactory;
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _clock;
    private readonly ILogger<SessionCache> _logger;
    private readonly RedisChannel _channel;
    private readonly SemaphoreSlim _subscribeGate = new(1, 1);
    private volatile bool _subscribed;

    public SessionCache(
        IDbContextFactory<MarketMakersDbContext> dbFactory, IConnectionMultiplexer redis, TimeProvider clock,
        IOptions<OrderBookNotifierOptions> channels, ILogger<SessionCache> logger)
    {
        _dbFactory = dbFactory;
        _redis = redis;
        _clock = clock;
        _logger = logger;
        _channel = RedisChannel.Literal((channels.Value.ChannelPrefix ?? "") + "user-session");
    }

    /// <summary>Raised (after invalidation) when a user's state changed here or on another instance: open circuits re-check.</summary>
    public event Action<Guid>? Changed;

    public async Task<SessionState?> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        _ = EnsureSubscribedAsync();
        var now = _clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var entry) && now - entry.LoadedAt < Ttl)
        {
            return entry.State;
        }

        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.IsActive, u.TwoFactorEnabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            _cache.TryRemove(userId, out _);
            return null;
        }

        var roles = await SignInService.RolesOfAsync(db, userId, cancellationToken);
        var revoked = await db.RevokedSessions.AsNoTracking().Where(r => r.UserId == userId && r.ExpiresAt > now)
            .Select(r => r.SessionId).ToListAsync(cancellationToken);
        var state = new SessionState(user.SecurityStamp ?? "", user.IsActive, user.TwoFactorEnabled, Roles.IsStaff(roles), revoked.ToHashSet(StringComparer.Ordinal));
        _cache[userId] = (state, now);
        return state;
    }

    /// <summary>Drops the user's cached state here at once, then tells the other instances.</summary>
    public async Task UserChangedAsync(Guid userId)
    {
        Invalidate(userId);
        try
        {
            await EnsureSubscribedAsync();
            await _redis.GetSubscriber().PublishAsync(_channel, userId.ToString("N"));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Redis unreachable: other instances notice user {UserId}'s change within {Ttl}", userId, Ttl);
        }
    }

    private void Invalidate(Guid userId)
    {
        _cache.TryRemove(userId, out _);
        Changed?.Invoke(userId);
    }

    private async Task EnsureSubscribedAsync()
    {
        if (_subscribed || !_redis.IsConnected)
        {
            return;
        }

        await _subscribeGate.WaitAsync();
        try
        {
            if (!_subscribed)
            {
                await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
                {
                    if (Guid.TryParse(message.ToString(), out var id))
                    {
                        Invalidate(id);
                    }
                });
                _subscribed = true;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not subscribe to session changes; relying on the {Ttl} cache lifetime", Ttl);
        }
        finally
        {
            _subscribeGate.Release();
        }
    }

    public void Dispose() => _subscribeGate.Dispose();
}
