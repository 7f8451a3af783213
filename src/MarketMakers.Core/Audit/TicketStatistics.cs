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
/// Aggregates for the Logging overview (SPEC §7 <c>/logging/stats</c>). The time series has a bucket for every
/// hour or day of the range, empty ones included, so charts show quiet periods instead of skipping them.
/// </summary>
public sealed class TicketStatistics(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<TicketStats> ComputeAsync(DateTimeOffset? dateFrom, DateTimeOffset? dateTo, CancellationToken cancellationToken = default)
    {
        var to = dateTo ?? clock.GetUtcNow();
        var from = dateFrom ?? to.AddDays(-7);
        if (from > to)
        {
            throw DomainException.Validation("date_from must not be after date_to.");
        }

        var span = to - from;
        var (bucket, step) = span <= TimeSpan.FromDays(2) ? ("hour", "1 hour")
            : span <= TimeSpan.FromDays(400) ? ("day", "1 day")
            : ("month", "1 month");

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var (total, success, failed) = await TotalsAsync(conn, from, to, cancellationToken);
        var byType = new Dictionary<string, long>();
        await ReadAsync(conn, """
            SELECT action_type, count(*) FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to
            GROUP BY action_type ORDER BY count(*) DESC
            """, from, to, r => byType[r.GetString(0)] = r.GetInt64(1), cancellationToken);
        var byUser = new List<UserActivity>();
        await ReadAsync(conn, """
            SELECT t.user_id, u.email, count(*) FROM ticket_logs t LEFT JOIN users u ON u.id = t.user_id
            WHERE t.timestamp >= @from AND t.timestamp <= @to AND t.user_id IS NOT NULL
            GROUP BY t.user_id, u.email ORDER BY count(*) DESC LIMIT 10
            """, from, to, r => byUser.Add(new UserActivity(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2))), cancellationToken);
        var series = new List<TimeBucket>();
        await ReadAsync(conn, $"""
            SELECT s.b, coalesce(c.total, 0), coalesce(c.failed, 0)
            FROM generate_series(date_trunc('{bucket}', @from AT TIME ZONE 'UTC'), date_trunc('{bucket}', @to AT TIME ZONE 'UTC'), interval '{step}') AS s(b)
            LEFT JOIN (
                SELECT date_trunc('{bucket}', timestamp AT TIME ZONE 'UTC') AS b, count(*) AS total,
                       count(*) FILTER (WHERE status = 'FAILED') AS failed
                FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to GROUP BY 1
            ) c ON c.b = s.b
            ORDER BY s.b
            """, from, to, r => series.Add(new TimeBucket(new DateTimeOffset(r.GetDateTime(0), TimeSpan.Zero), r.GetInt64(1), r.GetInt64(2))), cancellationToken);
        return new TicketStats(from, to, total, success, failed, byType, byUser, bucket, series);
    }

    private static async Task<(long Total, long Success, long Failed)> TotalsAsync(NpgsqlConnection conn, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        (long, long, long) result = default;
        await ReadAsync(conn, """
            SELECT count(*), count(*) FILTER (WHERE status = 'SUCCESS'), count(*) FILTER (WHERE status = 'FAILED')
            FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to
            """, from, to, r => result = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), ct);
        return result;
    }

    private static async Task ReadAsync(NpgsqlConnection conn, string sql, DateTimeOffset from, DateTimeOffset to, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }
}
