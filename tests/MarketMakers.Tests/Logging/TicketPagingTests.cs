using System.Net;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// Newest-first offset paging shifts when tickets arrive between page requests; the <c>as_of</c> cursor pins the
/// set so that following pages neither repeat nor skip a ticket.
/// </summary>
public sealed class TicketPagingTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Pages_pinned_with_as_of_have_no_duplicates_or_gaps_while_matching_tickets_are_inserted()
    {
        var tag = "t" + Guid.NewGuid().ToString("N")[..12];
        var original = await RecordAsync(tag, 7);
        using var admin = await app.CreateAdminClientAsync();

        var first = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=3");
        var asOf = first.GetProperty("as_of").GetString()!;
        var inserting = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RecordAsync(tag, 2)));
        var secondDuringInserts = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=3&offset=3&as_of={asOf}");
        var inserted = (await inserting).SelectMany(ids => ids).ToList();
        var second = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=3&offset=3&as_of={asOf}");
        var third = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=3&offset=6&as_of={asOf}");
        var unpinned = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=3&offset=3");

        Assert.Equal(8, inserted.Count);
        Assert.Equal(TicketIds(second), TicketIds(secondDuringInserts));
        Assert.Equal(asOf, second.GetProperty("as_of").GetString());
        Assert.Equal(7, second.GetProperty("total").GetInt32());
        var walked = TicketIds(first).Concat(TicketIds(second)).Concat(TicketIds(third)).ToList();
        Assert.Equal(original.AsEnumerable().Reverse(), walked);
        Assert.DoesNotContain(walked, inserted.Contains);
        // Without the cursor the same offset has moved: the newer tickets pushed the old ones down.
        Assert.Equal(15, unpinned.GetProperty("total").GetInt32());
        Assert.NotEqual(TicketIds(second), TicketIds(unpinned));
    }

    [Fact]
    public async Task The_failed_and_market_maker_views_return_and_honour_as_of()
    {
        var tag = "t" + Guid.NewGuid().ToString("N")[..12];
        var failed = await RecordAsync(tag, 1, fail: true);
        using var admin = await app.CreateAdminClientAsync();

        var pinned = await GetJsonAsync(admin, $"/api/v1/admin/logging/failed-actions?limit=1000&as_of={failed[0]}");
        var mm = await GetJsonAsync(admin, "/api/v1/admin/logging/market-maker-actions?limit=1");
        var later = await RecordAsync(tag, 1, fail: true);
        var stillPinned = await GetJsonAsync(admin, $"/api/v1/admin/logging/failed-actions?limit=1000&as_of={failed[0]}");

        Assert.Equal(failed[0], pinned.GetProperty("as_of").GetString());
        Assert.Equal(failed[0], TicketIds(pinned)[0]);
        Assert.DoesNotContain(later[0], TicketIds(stillPinned));
        Assert.Equal(pinned.GetProperty("total").GetInt32(), stillPinned.GetProperty("total").GetInt32());
        Assert.StartsWith("TKT-", mm.GetProperty("as_of").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("as_of=yesterday")]
    [InlineData("as_of=TKT-20x6-000001")]
    public async Task A_malformed_as_of_is_refused_with_422(string query)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.GetAsync($"/api/v1/admin/logging/tickets?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    private Task<List<string>> RecordAsync(string tag, int count, bool fail = false) =>
        LoggingTestSupport.RecordAsync(app.Services, tag, count, fail: fail);

    private static Task<JsonElement> GetJsonAsync(HttpClient client, string url) => LoggingTestSupport.GetJsonAsync(client, url);

    private static List<string> TicketIds(JsonElement body) =>
        body.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("ticket_id").GetString()!).ToList();
}
