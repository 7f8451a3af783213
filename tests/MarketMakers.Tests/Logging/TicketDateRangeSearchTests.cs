using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// A date-range search bounds its walk of the list order by the per-hour key bounds of the statistics rollup
/// (ADR 0007). Ticket numbers do not follow time exactly (the generator puts every 97th and 500th ticket hours or days
/// away from its neighbours), so the search must still return exactly the tickets whose timestamp is in the range, in
/// list order, whether the bounds sit in the delta, are compacted or were rebuilt. A database of its own.
/// </summary>
public sealed class TicketDateRangeSearchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Base = TicketStatisticsTests.Base;
    private string _postgres = "";
    private ServiceProvider _services = null!;

    public static TheoryData<string, DateTimeOffset?, DateTimeOffset?> Ranges => new()
    {
        { "inside one hour", Base.AddMinutes(10), Base.AddMinutes(50) },
        { "a day in the middle", Base.AddDays(1).AddHours(3), Base.AddDays(2).AddHours(3) },
        { "on hour boundaries (to inclusive)", Base.AddHours(1), Base.AddHours(3) },
        { "from only", Base.AddDays(2).AddHours(20), null },
        { "to only", null, Base.AddHours(7).AddMinutes(13) },
        { "before every ticket", Base.AddDays(-40), Base.AddDays(-39) },
        { "after every ticket", Base.AddDays(400), null },
    };

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("daterange");
        _services = TestDatabase.BuildServices(_postgres);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    [Fact]
    public async Task A_date_range_returns_exactly_its_tickets_in_list_order_with_bounds_in_the_delta_compacted_or_rebuilt()
    {
        await TestDatabase.ExecuteAsync(_postgres, TicketStatisticsTests.InsertSql(1, 1500, Base));
        await AssertAllRangesAsync("bounds in the delta");

        Assert.True(await _services.GetRequiredService<TicketStatsCompactor>().CompactAsync() >= 1500);
        await TestDatabase.ExecuteAsync(_postgres, TicketStatisticsTests.InsertSql(1501, 3000, Base));
        await AssertAllRangesAsync("compacted + delta");

        await TestDatabase.ExecuteAsync(_postgres, "SELECT rebuild_ticket_stats()");
        await AssertAllRangesAsync("rebuilt");
    }

    private async Task AssertAllRangesAsync(string state)
    {
        var queries = _services.GetRequiredService<TicketQueries>();
        foreach (var row in Ranges)
        {
            var (name, from, to) = ((string)row[0], (DateTimeOffset?)row[1], (DateTimeOffset?)row[2]);
            var filter = new TicketFilter { DateFrom = from, DateTo = to };
            var expected = await NaiveAsync(from, to);

            var streamed = new List<string>();
            await foreach (var t in queries.StreamAsync(filter))
            {
                streamed.Add(t.TicketId);
            }

            var page = await queries.SearchAsync(filter, new PageRequest(50, 20));

            Assert.True(expected.Count > 0 || name.StartsWith("before", StringComparison.Ordinal) || name.StartsWith("after", StringComparison.Ordinal), $"{state}, {name}: the range should hold tickets");
            Assert.Equal(expected, streamed);
            Assert.Equal(Math.Min(expected.Count, TicketQueries.TotalCap), page.Total);
            Assert.Equal(expected.Skip(20).Take(50), page.Items.Select(t => t.TicketId));
        }
    }

    private async Task<List<string>> NaiveAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        await using var conn = new NpgsqlConnection(_postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT ticket_id FROM ticket_logs
            WHERE (@from::timestamptz IS NULL OR timestamp >= @from) AND (@to::timestamptz IS NULL OR timestamp <= @to)
            ORDER BY year DESC, number DESC
            """, conn);
        cmd.Parameters.AddWithValue("from", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)from?.ToUniversalTime() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)to?.ToUniversalTime() ?? DBNull.Value);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
