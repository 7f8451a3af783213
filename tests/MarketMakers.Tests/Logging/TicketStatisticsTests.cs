using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// <c>/logging/stats</c> reads whole hours from the rollup and only the edges from ticket_logs (ADR 0007). Whatever
/// the state of the rollup (counts still in the delta, compacted, mixed, rebuilt), every figure must equal a naive
/// count over ticket_logs, for ranges that start and end on and off hour and day boundaries. A database of its own.
/// </summary>
public sealed class TicketStatisticsTests : IAsyncLifetime
{
    internal static readonly DateTimeOffset Base = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private string _postgres = "";
    private ServiceProvider _services = null!;

    public static TheoryData<string, DateTimeOffset?, DateTimeOffset> Ranges => new()
    {
        { "inside one hour", Base.AddMinutes(10), Base.AddMinutes(50) },
        { "across hours, same day", Base.AddMinutes(30), Base.AddHours(5).AddMinutes(30) },
        { "on hour boundaries (to inclusive)", Base.AddHours(1), Base.AddHours(3) },
        { "partial days at both ends", Base.AddHours(5).AddMinutes(17).AddSeconds(3), Base.AddDays(2).AddHours(7).AddMinutes(3) },
        { "on day boundaries", Base, Base.AddDays(2) },
        { "one instant on a boundary", Base.AddDays(1), Base.AddDays(1) },
        { "every ticket, day buckets", Base.AddDays(-1), Base.AddDays(4) },
        { "default seven days before date_to", null, Base.AddDays(2).AddHours(3).AddMinutes(33) },
        { "month buckets", Base.AddDays(-500), Base.AddDays(3).AddMicroseconds(7) },
    };

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("stats");
        _services = TestDatabase.BuildServices(_postgres, configure: s => s.AddSingleton<TimeProvider>(new FixedClock(Base.AddDays(3))));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    [Fact]
    public async Task Stats_equal_a_naive_count_whether_counts_are_in_the_delta_compacted_or_rebuilt()
    {
        var stats = _services.GetRequiredService<TicketStatistics>();
        var compactor = _services.GetRequiredService<TicketStatsCompactor>();

        await InsertAsync(1, 1500);
        await AssertAllRangesAsync(stats, "delta only");

        Assert.True(await compactor.CompactAsync() >= 1500);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM ticket_stats_delta"));
        await AssertAllRangesAsync(stats, "compacted");

        await InsertAsync(1501, 3000);
        await AssertAllRangesAsync(stats, "compacted + delta");

        await TestDatabase.ExecuteAsync(_postgres, "SELECT rebuild_ticket_stats()");
        await AssertAllRangesAsync(stats, "rebuilt");
    }

    [Fact]
    public async Task A_rolled_back_ticket_is_not_counted()
    {
        var stats = _services.GetRequiredService<TicketStatistics>();
        var from = Base.AddDays(-30);
        var to = Base.AddDays(-29);
        await using (var conn = new NpgsqlConnection(_postgres))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand(InsertSql(90001, 90010, from.AddMinutes(1)), conn, tx);
            await cmd.ExecuteNonQueryAsync();
            await tx.RollbackAsync();
        }

        var result = await stats.ComputeAsync(from, to);

        Assert.Equal(0, result.TotalActions);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT coalesce(sum(tickets), 0)::bigint FROM ticket_stats_delta WHERE hour < @p0", to));
    }

    private async Task AssertAllRangesAsync(TicketStatistics stats, string state)
    {
        foreach (var row in Ranges)
        {
            var (name, from, to) = ((string)row[0], (DateTimeOffset?)row[1], (DateTimeOffset)row[2]);
            var label = $"{state}, {name}";
            var actual = await stats.ComputeAsync(from, to);
            var expected = await NaiveAsync(actual.DateFrom, actual.DateTo, actual.BucketSize);

            Assert.True(expected.Total > 0 || name == "one instant on a boundary", $"{label}: the range should hold tickets");
            Assert.Equal((expected.Total, expected.Success, expected.Failed), (actual.TotalActions, actual.SuccessCount, actual.FailedCount));
            Assert.Equal(expected.ByType.OrderBy(kv => kv.Key), actual.ByActionType.OrderBy(kv => kv.Key));
            Assert.Equal(expected.Series, actual.ActionsOverTime.Select(b => (b.Bucket, b.Total, b.Failed)).ToList());
            // Top users: ties at the 10th place may pick either user, so compare counts, and each user's own count.
            Assert.Equal(expected.ByUser.Values.OrderByDescending(n => n).Take(TicketStatistics.TopUsers), actual.ByUser.Select(u => u.Count));
            Assert.All(actual.ByUser, u => Assert.Equal(expected.ByUser[u.UserId], u.Count));
        }
    }

    /// <summary>The pre-rollup implementation: three scans of ticket_logs and a generate_series of the buckets.</summary>
    private async Task<(long Total, long Success, long Failed, Dictionary<string, long> ByType, Dictionary<Guid, long> ByUser,
        List<(DateTimeOffset, long, long)> Series)> NaiveAsync(DateTimeOffset from, DateTimeOffset to, string bucket)
    {
        await using var conn = new NpgsqlConnection(_postgres);
        await conn.OpenAsync();
        async Task ReadAsync(string sql, Action<NpgsqlDataReader> row)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
            cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                row(reader);
            }
        }

        (long, long, long) totals = default;
        await ReadAsync("""
            SELECT count(*), count(*) FILTER (WHERE status = 'SUCCESS'), count(*) FILTER (WHERE status = 'FAILED')
            FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to
            """, r => totals = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)));
        var byType = new Dictionary<string, long>();
        await ReadAsync("SELECT action_type, count(*) FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to GROUP BY 1",
            r => byType[r.GetString(0)] = r.GetInt64(1));
        var byUser = new Dictionary<Guid, long>();
        await ReadAsync("SELECT user_id, count(*) FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to AND user_id IS NOT NULL GROUP BY 1",
            r => byUser[r.GetGuid(0)] = r.GetInt64(1));
        var step = bucket == "month" ? "1 month" : "1 " + bucket;
        var series = new List<(DateTimeOffset, long, long)>();
        await ReadAsync($"""
            SELECT s.b, coalesce(c.total, 0), coalesce(c.failed, 0)
            FROM generate_series(date_trunc('{bucket}', @from AT TIME ZONE 'UTC'), date_trunc('{bucket}', @to AT TIME ZONE 'UTC'), interval '{step}') AS s(b)
            LEFT JOIN (
                SELECT date_trunc('{bucket}', timestamp AT TIME ZONE 'UTC') AS b, count(*) AS total, count(*) FILTER (WHERE status = 'FAILED') AS failed
                FROM ticket_logs WHERE timestamp >= @from AND timestamp <= @to GROUP BY 1
            ) c ON c.b = s.b
            ORDER BY s.b
            """, r => series.Add((new DateTimeOffset(r.GetDateTime(0), TimeSpan.Zero), r.GetInt64(1), r.GetInt64(2))));
        return (totals.Item1, totals.Item2, totals.Item3, byType, byUser, series);
    }

    private Task InsertAsync(int first, int last) => TestDatabase.ExecuteAsync(_postgres, InsertSql(first, last, Base));

    /// <summary>
    /// Tickets first..last, one every 83 s from <paramref name="start"/> (about 3 days for 3,000), with whole-hour and
    /// whole-day timestamps among them; 15 users of uneven activity and some without a user; four action types; a sixth FAILED.
    /// Inserted one statement per range with the triggers on, as the app inserts them.
    /// </summary>
    internal static string InsertSql(int first, int last, DateTimeOffset start) => $"""
        INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, action_type, entity_type, entity_id, status, related_ticket_ids, tags)
        SELECT 'TKT-2031-' || lpad(g::text, 7, '0'), 2031, g,
               CASE WHEN g % 500 = 0 THEN timestamptz '{start:O}' + (g / 500) * interval '1 day'
                    WHEN g % 97 = 0 THEN timestamptz '{start:O}' + (g / 97) * interval '1 hour'
                    ELSE timestamptz '{start:O}' + g * interval '83 seconds' + (g % 1000) * interval '1 microsecond' END,
               CASE WHEN g % 9 = 0 THEN NULL ELSE ('00000000-0000-4000-8000-' || lpad(((g * g) % 15)::text, 12, '0'))::uuid END,
               (ARRAY['ORDER_PLACED', 'TRADE_EXECUTED', 'LOGIN_SUCCESS', 'ASSET_DEPOSIT'])[1 + (g * 7) % 4], 'User', 'u' || g,
               CASE WHEN g % 6 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, ARRAY[]::text[], ARRAY[]::text[]
        FROM generate_series({first}::bigint, {last}) AS g;
        """;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
