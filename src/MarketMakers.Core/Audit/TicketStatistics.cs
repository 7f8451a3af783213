using Npgsql;

namespace MarketMakers.Core.Audit;

public sealed record UserActivity(Guid UserId, string? Email, long Count);

public sealed record TimeBucket(DateTimeOffset Bucket, long Total, long Failed);

public sealed record TicketStats(
    DateTimeOffset DateFrom,
    DateTimeOffset DateTo,
    long TotalActions,
    long SuccessCount,
    long FailedCount,
    IReadOnlyDictionary<string, long> ByActionType,
    IReadOnlyList<UserActivity> ByUser,
    string BucketSize,
    IReadOnlyList<TimeBucket> ActionsOverTime);

/// <summary>
/// Aggregates for the Logging overview (<c>/logging/stats</c>). The time series has a bucket for every
/// hour or day of the range, empty ones included, so charts show quiet periods instead of skipping them.
/// </summary>
/// <remarks>
/// Whole hours of the range are read from the rollup tables the database keeps beside <c>ticket_logs</c> (the hourly
/// rows plus the delta not yet folded into them, ADR 0007); only the partial hours at the two edges are counted from
/// <c>ticket_logs</c> itself. A 30-day range is then a few thousand rollup rows instead of every ticket. Both queries
/// run in one REPEATABLE READ snapshot, so a compaction pass committing in between cannot count a ticket twice.
/// </remarks>
public sealed class TicketStatistics(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int TopUsers = 10;

    public async Task<TicketStats> ComputeAsync(DateTimeOffset? dateFrom, DateTimeOffset? dateTo, CancellationToken cancellationToken = default)
    {
        var to = dateTo ?? clock.GetUtcNow();
        var from = dateFrom ?? to.AddDays(-7);
        if (from > to)
        {
            throw DomainException.Validation("date_from must not be after date_to.");
        }

        var span = to - from;
        var bucket = span <= TimeSpan.FromDays(2) ? "hour"
            : span <= TimeSpan.FromDays(400) ? "day"
            : "month";

        var range = RollupRange.Of(from, to);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        long total = 0, success = 0, failed = 0;
        var byType = new Dictionary<string, long>();
        var perBucket = new Dictionary<DateTimeOffset, (long Total, long Failed)>();
        await ReadAsync(conn, tx, $"""
            SELECT date_trunc('{bucket}', p.ts, 'UTC'), p.action_type, p.status, sum(p.tickets)::bigint
            FROM (
                SELECT hour AS ts, action_type, status, tickets FROM ticket_stats_hourly WHERE hour >= @h0 AND hour < @h1
                UNION ALL
                SELECT hour, action_type, status, tickets FROM ticket_stats_delta WHERE hour >= @h0 AND hour < @h1
                UNION ALL
                SELECT timestamp, action_type, status, 1 FROM ticket_logs
                WHERE (timestamp >= @from AND timestamp < @h0) OR (timestamp >= @h1 AND timestamp <= @to)
            ) p
            GROUP BY 1, 2, 3
            """, range, r =>
            {
                var at = r.GetFieldValue<DateTimeOffset>(0);
                var type = r.GetString(1);
                var isFailed = r.GetString(2) == TicketStatus.Failed;
                var count = r.GetInt64(3);
                total += count;
                if (isFailed)
                {
                    failed += count;
                }
                else if (r.GetString(2) == TicketStatus.Success)
                {
                    success += count;
                }

                byType[type] = byType.GetValueOrDefault(type) + count;
                var b = perBucket.GetValueOrDefault(at);
                perBucket[at] = (b.Total + count, b.Failed + (isFailed ? count : 0));
            }, cancellationToken);

        var byUser = new List<UserActivity>();
        await ReadAsync(conn, tx, $"""
            WITH parts AS (
                SELECT user_id, tickets FROM ticket_stats_user_daily WHERE day >= @d0 AND day < @d1
                UNION ALL
                SELECT user_id, tickets FROM ticket_stats_user_hourly WHERE (hour >= @h0 AND hour < @d0) OR (hour >= @d1 AND hour < @h1)
                UNION ALL
                SELECT user_id, tickets FROM ticket_stats_delta WHERE hour >= @h0 AND hour < @h1 AND user_id IS NOT NULL
                UNION ALL
                SELECT user_id, 1 FROM ticket_logs
                WHERE ((timestamp >= @from AND timestamp < @h0) OR (timestamp >= @h1 AND timestamp <= @to)) AND user_id IS NOT NULL
            ), top AS (
                SELECT user_id, sum(tickets)::bigint AS tickets FROM parts GROUP BY user_id ORDER BY 2 DESC, 1 LIMIT {TopUsers}
            )
            SELECT t.user_id, u.email, t.tickets FROM top t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.tickets DESC, t.user_id
            """, range, r => byUser.Add(new UserActivity(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2))), cancellationToken);
        await tx.CommitAsync(cancellationToken);

        var series = new List<TimeBucket>();
        for (var b = Truncate(from, bucket); b <= Truncate(to, bucket); b = Next(b, bucket))
        {
            var (bucketTotal, bucketFailed) = perBucket.GetValueOrDefault(b);
            series.Add(new TimeBucket(b, bucketTotal, bucketFailed));
        }

        var orderedTypes = byType.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        return new TicketStats(from, to, total, success, failed, orderedTypes, byUser, bucket, series);
    }

    /// <summary>The start of the UTC hour, day or month that contains <paramref name="at"/>.</summary>
    internal static DateTimeOffset Truncate(DateTimeOffset at, string bucket)
    {
        var utc = at.ToUniversalTime();
        return bucket switch
        {
            "hour" => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            "day" => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    private static DateTimeOffset Next(DateTimeOffset at, string bucket) => bucket switch
    {
        "hour" => at.AddHours(1),
        "day" => at.AddDays(1),
        _ => at.AddMonths(1),
    };

    private static async Task ReadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, RollupRange range, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("from", range.From);
        cmd.Parameters.AddWithValue("to", range.To);
        cmd.Parameters.AddWithValue("h0", range.FirstHour);
        cmd.Parameters.AddWithValue("h1", range.EndHour);
        cmd.Parameters.AddWithValue("d0", range.FirstDay);
        cmd.Parameters.AddWithValue("d1", range.EndDay);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }
}

/// <summary>
/// How <c>[From, To]</c> (both inclusive, as the API's date filters) splits between the rollup and the raw tickets:
/// whole hours <c>[FirstHour, EndHour)</c> come from the rollup, of which whole days <c>[FirstDay, EndDay)</c> come
/// from the daily user rows; the rest, <c>[From, FirstHour)</c> and <c>[EndHour, To]</c>, from ticket_logs. A range
/// with no whole hour is read entirely from ticket_logs (at most an hour of tickets).
/// </summary>
internal readonly record struct RollupRange(
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset FirstHour, DateTimeOffset EndHour, DateTimeOffset FirstDay, DateTimeOffset EndDay)
{
    public static RollupRange Of(DateTimeOffset from, DateTimeOffset to)
    {
        // PostgreSQL keeps microseconds; cut the same way here so the edge arithmetic matches what is compared.
        var f = Micros(from);
        var t = Micros(to);
        var h0 = Ceiling(f, TimeSpan.TicksPerHour);
        var h1 = Floor(t, TimeSpan.TicksPerHour);
        if (h0 >= h1)
        {
            h0 = h1 = t;
        }

        var d0 = Ceiling(h0, TimeSpan.TicksPerDay);
        var d1 = Floor(h1, TimeSpan.TicksPerDay);
        if (d0 >= d1)
        {
            d0 = d1 = h1;
        }

        return new RollupRange(f, t, h0, h1, d0, d1);
    }

    private static DateTimeOffset Micros(DateTimeOffset at) => Floor(at.ToUniversalTime(), 10);

    private static DateTimeOffset Floor(DateTimeOffset at, long unit) => new(at.UtcTicks - (at.UtcTicks % unit), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset at, long unit) =>
        at.UtcTicks % unit == 0 ? at : new DateTimeOffset(at.UtcTicks - (at.UtcTicks % unit) + unit, TimeSpan.Zero);
}
