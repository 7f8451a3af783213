namespace MarketMakers.Core.Telemetry;

/// <summary>
/// The last values <see cref="OperationalSampler"/> read, for the observable gauges: a scrape reads memory, never
/// the database, and the order path never pays for a metric. Null until first sampled.
/// </summary>
public static class OperationalState
{
    private static readonly object Gate = new();
    private static double? _redisDown;
    private static double? _unsealed;
    private static double? _sealLag;
    private static double? _mismatches;
    private static double? _pendingApprovals;

    public static double? RedisDown { get { lock (Gate) { return _redisDown; } } }

    public static double? UnsealedTickets { get { lock (Gate) { return _unsealed; } } }

    public static double? SealLagSeconds { get { lock (Gate) { return _sealLag; } } }

    public static double? ReconciliationMismatches { get { lock (Gate) { return _mismatches; } } }

    public static double? PendingApprovals { get { lock (Gate) { return _pendingApprovals; } } }

    internal static void SetRedis(bool connected)
    {
        lock (Gate) { _redisDown = connected ? 0 : 1; }
    }

    internal static void SetSealing(long unsealed, double lagSeconds)
    {
        lock (Gate) { (_unsealed, _sealLag) = (unsealed, lagSeconds); }
    }

    internal static void SetPendingApprovals(long pending)
    {
        lock (Gate) { _pendingApprovals = pending; }
    }

    internal static void SetReconciliation(int mismatches)
    {
        lock (Gate) { _mismatches = mismatches; }
    }
}
