using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using MarketMakers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// One million generated tickets in a database of their own, loaded once for the class (ADR 0007).
/// </summary>
public sealed class MillionTicketsFixture : IAsyncLifetime
{
    public const int Tickets = 1_000_000;

    public string Postgres { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The newest generated timestamp; the load spreads tickets evenly over the 90 days before it.</summary>
    public DateTimeOffset End { get; } = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        Postgres = await TestDatabase.CreateAsync("tickets1m");
        DataSource = NpgsqlDataSource.Create(Postgres);
        try
        {
            await LoadAsync();
        }
        catch
        {
            await DisposeAsync(); // xUnit does not dispose a fixture whose initialization failed
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }

    private async Task LoadAsync()
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        // Triggers off for the bulk load only (append-only guard, seal queue); the rows are otherwise ordinary.
        await using (var load = new NpgsqlCommand("""
            SET session_replication_role = replica;
            INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id,
                                     status, request_payload, response_data, ip_address, user_agent, session_id, before_state, after_state,
                                     related_ticket_ids, tags)
            SELECT 'TKT-' || extract(year FROM g.ts)::int || '-' || (1000000 + g.i),
                   extract(year FROM g.ts)::int, 1000000 + g.i, g.ts,
                   ('00000000-0000-0000-0000-' || lpad(((g.i * 7919) % 200)::text, 12, '0'))::uuid,
                   CASE WHEN g.i % 5 = 0 THEN ('00000000-0000-0000-0001-' || lpad((((g.i / 5) * 31) % 50)::text, 12, '0'))::uuid END,
                   @types[1 + (g.i * 13) % cardinality(@types)],
                   (ARRAY['User','MarketMaker','AssetTransaction','Order','Trade'])[1 + g.i % 5],
                   'ent-' || ((g.i * 104729) % 100000),
                   CASE WHEN g.i % 10 = 3 THEN 'FAILED' ELSE 'SUCCESS' END,
                   jsonb_build_object('step', g.i, 'amount', (g.i % 997)::text),
                   CASE WHEN g.i % 10 = 3 THEN jsonb_build_object('error', 'refused') ELSE jsonb_build_object('ok', true) END,
                   '10.0.' || (g.i % 250) || '.' || (g.i % 200), 'Mozilla/5.0 (generated)', 'sess-' || (g.i % 5000),
                   NULL, jsonb_build_object('available', (g.i % 1000)::text),
                   '{}'::text[],
                   ARRAY['batch-' || (g.i % 1000)] || CASE WHEN g.i % 7 = 0 THEN ARRAY['manual'] ELSE '{}'::text[] END
            FROM (SELECT i::bigint AS i, @end - (@tickets - i) * (interval '90 days' / @tickets) AS ts
                  FROM generate_series(1, @tickets) AS i) g;
            SET session_replication_role = origin;
            """, conn))
        {
            load.CommandTimeout = 600;
            load.Parameters.AddWithValue("types", ActionTypes.All.ToArray());
            load.Parameters.AddWithValue("end", End);
            load.Parameters.AddWithValue("tickets", Tickets);
            await load.ExecuteNonQueryAsync();
        }

        // Triggers were off, so the statistics rollup (and its per-hour key bounds, which date ranges use) is recounted.
        await using (var rebuild = new NpgsqlCommand("SELECT rebuild_ticket_stats()", conn) { CommandTimeout = 600 })
        {
            await rebuild.ExecuteNonQueryAsync();
        }

        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) ticket_logs", conn) { CommandTimeout = 600 };
        await vacuum.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Every single filter of <see cref="TicketQueries.SearchAsync"/> reads ticket_logs through an index at one million
/// tickets, proven from <c>EXPLAIN (FORMAT JSON)</c> of the exact commands EF sends (captured by an interceptor on
/// the real query path), for both the count and the page. Equality filters also get their page straight from an
/// index in list order (no sort of the filtered set). No timing is asserted.
/// </summary>
public sealed partial class TicketIndexTests(MillionTicketsFixture db) : IClassFixture<MillionTicketsFixture>
{
    public static TheoryData<string> Filters => [.. Cases.Keys];

    // The generator gives ticket i the entity type (User, MarketMaker, AssetTransaction, Order, Trade)[i % 5] and the
    // entity id ent-((i * 104729) % 100000); the entity case uses ticket 123457's.
    private static readonly Dictionary<string, (Func<MillionTicketsFixture, TicketFilter> Filter, bool OrderedPage)> Cases = new()
    {
        ["date range"] = (f => new TicketFilter { DateFrom = f.End.AddDays(-46), DateTo = f.End.AddDays(-45) }, false),
        ["action_type"] = (_ => new TicketFilter { ActionTypes = [ActionTypes.All[3]] }, false),
        ["user_id"] = (_ => new TicketFilter { UserId = Guid.Parse("00000000-0000-0000-0000-000000000017") }, true),
        ["market_maker_id"] = (_ => new TicketFilter { MarketMakerId = Guid.Parse("00000000-0000-0000-0001-000000000003") }, true),
        ["status"] = (_ => new TicketFilter { Status = TicketStatus.Failed }, true),
        ["entity_type + entity_id"] = (_ => new TicketFilter { EntityType = EntityTypes.AssetTransaction, EntityId = $"ent-{123457L * 104729 % 100000}" }, true),
        ["search by ticket id"] = (f => new TicketFilter { Search = $"TKT-{f.End.AddDays(-45).Year}-1500000" }, false),
        ["search by tag"] = (_ => new TicketFilter { Search = "batch-7" }, false),
        ["tags"] = (_ => new TicketFilter { Tags = ["batch-7"] }, false),
        ["two tags"] = (_ => new TicketFilter { Tags = ["batch-7", "manual"] }, false),
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_single_filter_reads_ticket_logs_through_an_index(string name)
    {
        var (makeFilter, orderedPage) = Cases[name];
        var capture = new CommandCapture();
        var queries = new TicketQueries(new CapturingFactory(db.DataSource, capture));

        var result = await queries.SearchAsync(makeFilter(db), new PageRequest(50, 0));

        Assert.True(result.Total > 0, $"{name}: the generated data should match the filter");
        // The (capped) count, then the page; a small tag or ticket-id match reads its keys first, then its rows by key.
        Assert.InRange(capture.Commands.Count, 2, 3);
        var (countSql, countParams) = capture.Commands[0];
        var (pageSql, pageParams) = capture.Commands[^1];
        Assert.Contains("count(", countSql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("LIMIT", countSql, StringComparison.Ordinal);
        if (capture.Commands.Count == 2)
        {
            Assert.Contains("ORDER BY", pageSql, StringComparison.Ordinal);
        }

        var countPlan = await ExplainAsync(countSql, countParams);
        var pagePlan = await ExplainAsync(pageSql, pageParams);

        AssertIndexed(name + " (count)", countSql, countPlan);
        AssertIndexed(name + " (page)", pageSql, pagePlan);
        foreach (var (sql, parameters) in capture.Commands.Skip(1).SkipLast(1))
        {
            AssertIndexed(name + " (keys)", sql, await ExplainAsync(sql, parameters));
        }

        if (orderedPage)
        {
            var sorts = Nodes(pagePlan).Where(n => n.GetProperty("Node Type").GetString() is "Sort" or "Incremental Sort").ToList();
            Assert.True(sorts.Count == 0, $"{name} (page): the page should come from an index in list order, not a sort of the filtered set:\n{pagePlan}");
        }
    }

    [Fact]
    public async Task Tag_filters_are_sent_as_array_containment_so_the_gin_index_applies()
    {
        var capture = new CommandCapture();
        var queries = new TicketQueries(new CapturingFactory(db.DataSource, capture));

        await queries.SearchAsync(new TicketFilter { Tags = ["batch-7"], Search = "batch-8" }, new PageRequest(1, 0));

        // Two tag filters combine (TicketCombinedSearch): whatever statements it sends, the tags are matched by
        // containment, which the GIN index serves, never by ANY over the tags column.
        Assert.Contains(capture.Commands, c => Regex.IsMatch(c.Sql, @"@\w+ <@ t\d?\.tags"));
        Assert.DoesNotContain(capture.Commands, c => Regex.IsMatch(c.Sql, @"ANY \([^)]*tags"));
    }

    private static void AssertIndexed(string label, string sql, JsonElement plan)
    {
        var onTickets = Nodes(plan).Where(n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "ticket_logs").ToList();
        var message = $"{label}:\n{sql}\n{plan}";
        Assert.True(onTickets.Count > 0, "no ticket_logs node in the plan. " + message);
        Assert.True(onTickets.All(n => n.GetProperty("Node Type").GetString() != "Seq Scan"), "Seq Scan on ticket_logs. " + message);
        Assert.True(onTickets.All(n => n.GetProperty("Node Type").GetString() is "Index Scan" or "Index Only Scan" or "Bitmap Heap Scan"),
            "ticket_logs is not read through an index. " + message);
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement plan)
    {
        var stack = new Stack<JsonElement>([plan[0].GetProperty("Plan")]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>The plan of a captured statement, under the planner settings (SET LOCAL) that were sent with it.</summary>
    private async Task<JsonElement> ExplainAsync(string sql, IReadOnlyList<NpgsqlParameter> parameters, string? settings = null)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (settings is not null)
        {
            await using var set = new NpgsqlCommand(settings, conn, tx);
            await set.ExecuteNonQueryAsync();
        }

        await using var cmd = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + sql, conn, tx);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(p.Clone());
        }

        var json = (string)(await cmd.ExecuteScalarAsync())!;
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Records every command EF sends, with its parameters, exactly as they go to PostgreSQL.</summary>
    private sealed class CommandCapture : DbCommandInterceptor
    {
        public List<(string Sql, IReadOnlyList<NpgsqlParameter> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        // The combined search sends its planner settings (SET LOCAL) as a non-query before the statement they govern.
        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command) =>
            Commands.Add((command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToList()));
    }

    /// <summary>The app's DbContext configuration (Npgsql data source, snake_case names) plus the capture.</summary>
    private sealed class CapturingFactory(NpgsqlDataSource dataSource, CommandCapture capture) : IDbContextFactory<MarketMakersDbContext>
    {
        public MarketMakersDbContext CreateDbContext() => new(new DbContextOptionsBuilder<MarketMakersDbContext>()
            .UseNpgsql(dataSource)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(capture)
            .Options);
    }
}
