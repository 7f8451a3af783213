using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// Combined filters that match nothing, the worst case for an index intersection: every statement that
/// <see cref="TicketCombinedSearch"/> sends reads ticket_logs through an index (under the planner settings it sends
/// with it), and the empty answer is proven by the GIN index over the filters, not by reading a large set.
/// </summary>
public sealed partial class TicketIndexTests
{
    public static TheoryData<string> ZeroMatchCombinations => [.. ZeroMatchCases.Keys];

    // The generator makes ticket i FAILED when i % 10 == 3, gives it the entity type (User, MarketMaker,
    // AssetTransaction, Order, Trade)[i % 5] and a Market Maker only when i % 5 == 0: every FAILED ticket is an Order
    // and every Market Maker's ticket a User one, so these large sets (100,000 FAILED, 200,000 of each entity type)
    // never meet.
    private static readonly Dictionary<string, Func<MillionTicketsFixture, TicketFilter>> ZeroMatchCases = new()
    {
        ["status + entity type"] = _ => new TicketFilter { Status = TicketStatus.Failed, EntityType = EntityTypes.Trade },
        ["status + entity type + tag"] = _ => new TicketFilter { Status = TicketStatus.Failed, EntityType = EntityTypes.User, Tags = ["manual"] },
        ["status + entity type + date range"] = f => new TicketFilter
        {
            Status = TicketStatus.Failed, EntityType = EntityTypes.AssetTransaction, DateFrom = f.End.AddDays(-30), DateTo = f.End,
        },
        ["market maker + entity type"] = _ => new TicketFilter
        {
            MarketMakerId = Guid.Parse("00000000-0000-0000-0001-000000000003"), EntityType = EntityTypes.Order,
        },
    };

    [Theory]
    [MemberData(nameof(ZeroMatchCombinations))]
    public async Task A_combined_filter_matching_nothing_reads_ticket_logs_through_indexes(string name)
    {
        var capture = new CommandCapture();
        var queries = new TicketQueries(new CapturingFactory(db.DataSource, capture));

        var result = await queries.SearchAsync(ZeroMatchCases[name](db), new PageRequest(50, 0));

        Assert.Empty(result.Items);
        Assert.Equal(0, result.Total);
        Assert.False(result.TotalCapped);

        var plans = new List<JsonElement>();
        string? settings = null;
        foreach (var (sql, parameters) in capture.Commands)
        {
            if (sql.StartsWith("SET LOCAL", StringComparison.Ordinal))
            {
                settings = sql; // governs the next statement only (its transaction)
                continue;
            }

            var plan = await ExplainAsync(sql, parameters, settings);
            settings = null;
            AssertIndexed($"{name} (statement {plans.Count + 1})", sql, plan);
            plans.Add(plan);
        }

        Assert.NotEmpty(plans);
        Assert.Contains(plans, plan => Nodes(plan).Any(n =>
            n.TryGetProperty("Index Name", out var index) && index.GetString() == "ix_ticket_logs_filters"));
    }
}
