using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using MarketMakers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// 60,000 generated tickets in a database of their own, each with a known action type, entity type, status, Market
/// Maker and tags (ticket i: action (A,B,C,D)[i % 4], entity (order,trade,user)[i % 3], FAILED when i % 10 == 0,
/// Market Maker m-(i % 5) when i % 2 == 0, tags t-(i % 6)), so every combination's matches are known exactly. Older
/// history: every 25th ticket up to 45,000 also has the tag "old", up to 36,000 "older" too, so that these tags match
/// nothing among the newest tickets of a large leading filter but many further back.
/// </summary>
public sealed class CombinedTicketsFixture : IAsyncLifetime
{
    public const int Tickets = 60_000;

    public string Postgres { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static Guid Mm(int m) => Guid.Parse($"00000000-0000-4000-9000-{m:D12}");

    public async Task InitializeAsync()
    {
        Postgres = await TestDatabase.CreateAsync("combined");
        DataSource = NpgsqlDataSource.Create(Postgres);
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var load = new NpgsqlCommand($"""
            SET session_replication_role = replica;
            INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id,
                                     status, ip_address, user_agent, session_id, related_ticket_ids, tags)
            SELECT 'TKT-2026-' || (1000000 + i), 2026, 1000000 + i, now() - ({Tickets} - i) * interval '1 second', NULL,
                   CASE WHEN i % 2 = 0 THEN ('00000000-0000-4000-9000-' || lpad((i % 5)::text, 12, '0'))::uuid END,
                   (ARRAY['A','B','C','D'])[1 + i % 4], (ARRAY['order','trade','user'])[1 + i % 3], 'e-' || i,
                   CASE WHEN i % 10 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, '10.0.0.1', 'test', 's', ARRAY[]::text[],
                   ARRAY['t-' || (i % 6)] || CASE WHEN i % 25 = 1 AND i <= 45000 THEN ARRAY['old'] ELSE ARRAY[]::text[] END
                     || CASE WHEN i % 25 = 1 AND i <= 36000 THEN ARRAY['older'] ELSE ARRAY[]::text[] END
            FROM generate_series(1, {Tickets}) AS i;
            SET session_replication_role = origin;
            SELECT rebuild_ticket_stats();
            """, conn) { CommandTimeout = 600 };
        await load.ExecuteNonQueryAsync();
        // VACUUM sets the visibility map, which the index-only walks rely on (autovacuum does it for real tickets).
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) ticket_logs", conn) { CommandTimeout = 600 };
        await vacuum.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }

    public TicketQueries Queries() => new(new Factory(DataSource));

    private sealed class Factory(NpgsqlDataSource dataSource) : IDbContextFactory<MarketMakersDbContext>
    {
        public MarketMakersDbContext CreateDbContext() => new(new DbContextOptionsBuilder<MarketMakersDbContext>()
            .UseNpgsql(dataSource).UseSnakeCaseNamingConvention().Options);
    }
}

/// <summary>
/// Combined filters return exactly the tickets a reader would pick by hand, newest first, whichever of the three
/// plans of <see cref="TicketCombinedSearch"/> serves them (a small leading filter, a dense window, the GIN
/// intersection), with the total exact or, when capped, a lower bound that the page agrees with.
/// </summary>
public sealed class TicketSearchCombinedTests(CombinedTicketsFixture db) : IClassFixture<CombinedTicketsFixture>
{
    private static IEnumerable<long> Matching(Func<long, bool> predicate) =>
        Enumerable.Range(1, CombinedTicketsFixture.Tickets).Select(i => (long)i).Where(predicate).OrderByDescending(i => i);

    public static TheoryData<string> Cases => [.. Expected.Keys];

    private static readonly Dictionary<string, (TicketFilter Filter, Func<long, bool> Match)> Expected = new()
    {
        // action B is odd i, FAILED is i % 10 == 0: nothing (the GIN intersection proves it).
        ["action + status, no match"] = (new TicketFilter { ActionTypes = ["B"], Status = TicketStatus.Failed }, _ => false),
        ["action + status"] = (new TicketFilter { ActionTypes = ["A"], Status = TicketStatus.Failed }, i => i % 4 == 0 && i % 10 == 0),
        ["entity + tag, dense"] = (new TicketFilter { EntityType = "order", Tags = ["t-1"] }, i => i % 3 == 0 && i % 6 == 1),
        ["market maker + tag, no match"] = (new TicketFilter { MarketMakerId = CombinedTicketsFixture.Mm(1), Search = "t-3" }, _ => false),
        ["market maker + status"] = (new TicketFilter { MarketMakerId = CombinedTicketsFixture.Mm(0), Status = TicketStatus.Failed }, i => i % 10 == 0),
        ["market maker + action + tag"] = (new TicketFilter { MarketMakerId = CombinedTicketsFixture.Mm(2), ActionTypes = ["C"], Tags = ["t-4"] },
            i => i % 2 == 0 && i % 5 == 2 && i % 4 == 2 && i % 6 == 4),
        ["entity + status + tag, sparse"] = (new TicketFilter { EntityType = "user", Status = TicketStatus.Failed, Tags = ["t-2"] },
            i => i % 3 == 2 && i % 10 == 0 && i % 6 == 2),
        ["status + two actions"] = (new TicketFilter { Status = TicketStatus.Success, ActionTypes = ["A", "C"] }, i => i % 10 != 0 && i % 2 == 0),

        // Older history: none among the newest of the leading filter, so the intersection finds them. SUCCESS (54,000
        // tickets) is larger than the window, whose oldest SUCCESS ticket is about i = 37,778; trade (20,000) is not.
        ["entity + old tag, small leading filter"] = (new TicketFilter { EntityType = "trade", Tags = ["old"] }, i => i % 3 == 1 && Old(i)),
        ["status + two actions + old tag, page in the window"] = (new TicketFilter { Status = TicketStatus.Success, ActionTypes = ["A", "C"], Tags = ["old"] },
            i => i % 10 != 0 && i % 2 == 0 && Old(i)),
        ["status + two actions + older tag, none in the window"] = (new TicketFilter { Status = TicketStatus.Success, ActionTypes = ["A", "C"], Search = "older" },
            i => i % 10 != 0 && i % 2 == 0 && Older(i)),
        ["status + old tag, many"] = (new TicketFilter { Status = TicketStatus.Success, Tags = ["old"] }, i => i % 10 != 0 && Old(i)),
        ["status + older tag, many, none in the window"] = (new TicketFilter { Status = TicketStatus.Success, Tags = ["older"] }, i => i % 10 != 0 && Older(i)),
    };

    private static bool Old(long i) => i % 25 == 1 && i <= 45_000;

    private static bool Older(long i) => i % 25 == 1 && i <= 36_000;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Combined_filters_return_exactly_the_matching_tickets_newest_first(string name)
    {
        var (filter, match) = Expected[name];
        var expected = Matching(match).ToList();

        var first = await db.Queries().SearchAsync(filter, new PageRequest(50, 0));
        var second = await db.Queries().SearchAsync(filter, new PageRequest(50, 50));

        Assert.Equal(expected.Take(50).Select(Id), first.Items.Select(t => t.TicketId));
        Assert.Equal(expected.Skip(50).Take(50).Select(Id), second.Items.Select(t => t.TicketId));
        if (first.TotalCapped)
        {
            // A capped total is a lower bound: at least that many match, and at least a page of them.
            Assert.InRange(first.Total, Math.Min(50, expected.Count), expected.Count);
        }
        else
        {
            Assert.Equal(expected.Count, first.Total);
        }
    }

    [Fact]
    public async Task A_combination_matching_nothing_reports_an_exact_zero()
    {
        var page = await db.Queries().SearchAsync(new TicketFilter { ActionTypes = ["D"], EntityType = "order", Status = TicketStatus.Failed, Tags = ["t-5"] }, new PageRequest(50, 0));

        // i % 4 == 3 and i % 10 == 0 cannot both hold.
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        Assert.False(page.TotalCapped);
    }

    private static string Id(long i) => $"TKT-2026-{1000000 + i}";
}
