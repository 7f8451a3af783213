using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketMakers.Core.Audit;

public sealed class TicketCounterOptions
{
    /// <summary>How many numbers one PostgreSQL round trip reserves for Redis to hand out.</summary>
    public int BlockSize { get; set; } = 1000;

    /// <summary>
    /// Prepended to the Redis keys. Empty in production (<c>ticket_counter:{YYYY}</c>); set when several
    /// databases share one Redis (the test suite), since a counter must never span two databases.
    /// </summary>
    public string KeyPrefix { get; set; } = "";
}

/// <summary>
/// Ticket ids from Redis <c>INCR</c> on <c>ticket_counter:{YYYY}</c>, fenced by blocks reserved in PostgreSQL.
/// Redis may only hand out numbers up to <c>ticket_counter:{YYYY}:limit</c>, and every limit is a block that
/// <see cref="TicketCounterStore"/> reserved. A flushed or restarted Redis loses the limit, so the next allocation
/// reserves a fresh block above everything ever issued instead of reusing numbers. When Redis is unreachable the
/// ids come straight from PostgreSQL. See docs/decisions/0002-ticket-counter.md.
/// </summary>
public sealed class TicketIdAllocator : ITicketIdAllocator
{
    // Takes ARGV[1] numbers and returns the highest, or -1 when Redis has no valid block (missing limit after a
    // flush/restart, or not enough left in the block: the numbers skipped that way are never issued).
    private const string AllocateScript = """
        local limit = redis.call('GET', KEYS[2])
        if not limit then return -1 end
        local n = redis.call('INCRBY', KEYS[1], ARGV[1])
        if n > tonumber(limit) then return -1 end
        return n
        """;

    // Moves the counter up to the block start and the limit up to the block end; never moves either down,
    // so blocks applied out of order by racing instances cannot reopen numbers already handed out.
    private const string ApplyBlockScript = """
        local c = tonumber(redis.call('GET', KEYS[1]) or '0')
        if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        local l = tonumber(redis.call('GET', KEYS[2]) or '0')
        if l < tonumber(ARGV[2]) then redis.call('SET', KEYS[2], ARGV[2]) end
        return 1
        """;

    private readonly IConnectionMultiplexer? _redis;
    private readonly TicketCounterStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<TicketIdAllocator> _logger;
    private readonly int _blockSize;
    private readonly string _keyPrefix;
    private readonly SemaphoreSlim _refillGate = new(1, 1);

    // Bumped whenever the Redis connection drops or comes back: a restarted Redis may hold an old snapshot of the
    // counter, so the first allocation after it must move Redis past a freshly reserved block. Starts "dirty" so
    // a fresh process never trusts whatever Redis held before it.
    private long _epoch = 1;
    private long _refilledEpoch;

    public TicketIdAllocator(
        IConnectionMultiplexer? redis,
        TicketCounterStore store,
        TimeProvider clock,
        IOptions<TicketCounterOptions> options,
        ILogger<TicketIdAllocator> logger)
    {
        _redis = redis;
        _store = store;
        _clock = clock;
        _logger = logger;
        _blockSize = Math.Max(1, options.Value.BlockSize);
        _keyPrefix = options.Value.KeyPrefix;
        if (redis is not null)
        {
            redis.ConnectionFailed += (_, _) => Interlocked.Increment(ref _epoch);
            redis.ConnectionRestored += (_, _) => Interlocked.Increment(ref _epoch);
        }
    }

    private bool MustRefill => Interlocked.Read(ref _epoch) != Interlocked.Read(ref _refilledEpoch);

    public async Task<TicketNumber> NextAsync(CancellationToken cancellationToken = default) =>
        (await NextManyAsync(1, cancellationToken))[0];

    /// <summary>
    /// <paramref name="count"/> consecutive ids in one Redis round trip (more than a block takes one per block), so a
    /// batch of orders pays one allocation instead of one per order.
    /// </summary>
    public async Task<IReadOnlyList<TicketNumber>> NextManyAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var now = _clock.GetUtcNow();
        var ids = new List<TicketNumber>(count);
        while (ids.Count < count)
        {
            var take = Math.Min(count - ids.Count, _blockSize);
            var high = await ReserveAsync(now.Year, take, cancellationToken);
            for (var n = high - take + 1; n <= high; n++)
            {
                ids.Add(new TicketNumber(now.Year, n, now));
            }
        }

        // Blocks taken one after another are each consecutive, but a PostgreSQL fallback can sit above a later Redis block.
        ids.Sort((a, b) => a.Number.CompareTo(b.Number));
        return ids;
    }

    /// <summary>Reserves <paramref name="count"/> numbers and returns the highest.</summary>
    private async Task<long> ReserveAsync(int year, int count, CancellationToken cancellationToken)
    {
        if (_redis is { IsConnected: true })
        {
            try
            {
                var high = await NextFromRedisAsync(year, count, cancellationToken);
                if (high > 0)
                {
                    return high;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The PostgreSQL fallback is right whatever broke here, so nothing from this path may fail the action
                // before it has a ticket id (RedisCommandException, for one, is not a RedisException). Anything but an
                // outage is logged as an error, with its type, so it can be found.
                Interlocked.Increment(ref _epoch);
                _logger.Log(ex is RedisException or TimeoutException ? LogLevel.Warning : LogLevel.Error, ex,
                    "Ticket ids from Redis failed ({ExceptionType}); using the PostgreSQL fallback", ex.GetType().Name);
            }
        }

        Telemetry.MarketMakersTelemetry.TicketIdFallback.Add(count);
        return await _store.ReserveAsync(year, count, cancellationToken);
    }

    private async Task<long> NextFromRedisAsync(int year, int count, CancellationToken cancellationToken)
    {
        var db = _redis!.GetDatabase();
        RedisKey[] keys = [$"{_keyPrefix}ticket_counter:{year}", $"{_keyPrefix}ticket_counter:{year}:limit"];
        if (!MustRefill)
        {
            var n = (long)await db.ScriptEvaluateAsync(AllocateScript, keys, [count]);
            if (n > 0)
            {
                return n;
            }
        }

        // One refill at a time per process; callers that waited retry first, since the block may be fresh.
        await _refillGate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (!MustRefill)
                {
                    var n = (long)await db.ScriptEvaluateAsync(AllocateScript, keys, [count]);
                    if (n > 0)
                    {
                        return n;
                    }
                }

                var epoch = Interlocked.Read(ref _epoch);
                var high = await _store.ReserveAsync(year, _blockSize, cancellationToken);
                await db.ScriptEvaluateAsync(ApplyBlockScript, keys, [high - _blockSize, high]);
                Interlocked.Exchange(ref _refilledEpoch, epoch);
            }

            return -1;
        }
        finally
        {
            _refillGate.Release();
        }
    }
}
