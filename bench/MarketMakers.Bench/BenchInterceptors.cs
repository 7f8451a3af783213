using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using MarketMakers.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MarketMakers.Bench;

/// <summary>
/// Bench-only "auditing off" switch: while <see cref="Suppress"/> is set, ticket rows added to a DbContext are
/// detached just before SaveChanges, so the service path runs unchanged (ticket ids are still allocated) but no
/// ticket is inserted. It is registered only by the bench (ConfigureDbContext), never by the app or the tests.
/// </summary>
internal sealed class SuppressTicketInsertsInterceptor : SaveChangesInterceptor
{
    public static volatile bool Suppress;

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Suppress && eventData.Context is { } db)
        {
            foreach (var entry in db.ChangeTracker.Entries<Ticket>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

/// <summary>
/// Profiles the service path: every command EF sends (one per round trip; EF batches a SaveChanges into one
/// command), by kind, with its time, the commit time, and how long each transaction held the instrument lock
/// (from the end of the pg_advisory_xact_lock command to the end of COMMIT).
/// </summary>
internal sealed class RoundTripProfiler : DbCommandInterceptor, IDbTransactionInterceptor
{
    public static readonly RoundTripProfiler Instance = new();

    private readonly ConcurrentDictionary<string, (long Count, double Ms)> _byKind = new();
    private readonly ConcurrentDictionary<DbContext, long> _lockAcquired = new();
    private readonly ConcurrentBag<double> _holdMs = [];
    private readonly ConcurrentBag<double> _lockWaitMs = [];

    public volatile bool Enabled;

    public void Reset()
    {
        _byKind.Clear();
        _lockAcquired.Clear();
        _holdMs.Clear();
        _lockWaitMs.Clear();
    }

    public IReadOnlyDictionary<string, (long Count, double Ms)> ByKind => _byKind;

    public double[] HoldMs => [.. _holdMs.Order()];

    public double[] LockWaitMs => [.. _lockWaitMs.Order()];

    private void Record(DbCommand command, CommandExecutedEventData data)
    {
        if (!Enabled)
        {
            return;
        }

        var sql = command.CommandText;
        var kind = Classify(sql);
        _byKind.AddOrUpdate(kind, (1, data.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Ms + data.Duration.TotalMilliseconds));
        if (kind == "1 advisory lock" && data.Context is { } db)
        {
            _lockAcquired[db] = Stopwatch.GetTimestamp();
            _lockWaitMs.Add(data.Duration.TotalMilliseconds);
        }
    }

    public static string Classify(string sql) =>
        sql.Contains("pg_advisory_xact_lock", StringComparison.Ordinal) ? "1 advisory lock"
        : sql.Contains("AS ahead", StringComparison.Ordinal) ? "2 candidate read"
        : sql.Contains("FOR UPDATE OF b", StringComparison.Ordinal) || sql.Contains("FROM balances WHERE holder_id", StringComparison.Ordinal) ? "3 balance lock"
        : sql.Contains("INSERT INTO ticket_logs", StringComparison.Ordinal) ? "5 ticket insert (final save)"
        : sql.Contains("INSERT", StringComparison.Ordinal) || sql.Contains("UPDATE", StringComparison.Ordinal) ? "4 order/ledger/trade save"
        : sql.Contains("FROM users", StringComparison.Ordinal) ? "0 user/role check"
        : "6 other";

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return base.NonQueryExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return base.ScalarExecutedAsync(command, eventData, result, cancellationToken);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Enabled)
        {
            _byKind.AddOrUpdate("7 COMMIT", (1, eventData.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Ms + eventData.Duration.TotalMilliseconds));
            if (eventData.Context is { } db && _lockAcquired.TryRemove(db, out var acquired))
            {
                _holdMs.Add(Stopwatch.GetElapsedTime(acquired).TotalMilliseconds);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Times the ticket id allocations (one Redis INCR each) of the service path.</summary>
internal sealed class TimedTicketIdAllocator(ITicketIdAllocator inner) : ITicketIdAllocator
{
    private long _count;
    private long _ticks;

    public long Count => Interlocked.Read(ref _count);

    public double TotalMs => Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency;

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }

    public async Task<TicketNumber> NextAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var id = await inner.NextAsync(cancellationToken);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _count);
        return id;
    }
}
