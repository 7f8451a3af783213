using System.Net;
using System.Text.Json;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Logging;

public sealed class LoggingApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Tag_filter_returns_exactly_the_tagged_tickets_newest_first()
    {
        var tag = NewTag();
        var ids = await RecordAsync(tag, 3);
        using var admin = await app.CreateAdminClientAsync();

        var body = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}");

        Assert.Equal(3, body.GetProperty("total").GetInt32());
        Assert.False(body.GetProperty("total_capped").GetBoolean());
        Assert.Equal(ids.AsEnumerable().Reverse(), TicketIds(body));
    }

    [Fact]
    public async Task Filters_combine_action_type_status_entity_and_search()
    {
        var tag = NewTag();
        var ok = await RecordAsync(tag, 1, ActionTypes.UserRoleChanged, entityId: "entity-" + tag);
        var failed = await RecordAsync(tag, 1, ActionTypes.UserRoleChanged, fail: true);
        await RecordAsync(tag, 1, ActionTypes.UserCreated);
        using var admin = await app.CreateAdminClientAsync();

        var byStatus = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&status=FAILED");
        var byTypes = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&action_type=USER_ROLE_CHANGED&action_type=USER_CREATED");
        var byEntity = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?entity_type=User&entity_id=entity-{tag}");
        var bySearch = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?search={failed[0]}");
        var byTagSearch = await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?search={tag}&action_type=USER_CREATED");

        Assert.Equal(failed, TicketIds(byStatus));
        Assert.Equal(3, byTypes.GetProperty("total").GetInt32());
        Assert.Equal(ok, TicketIds(byEntity));
        Assert.Equal(failed, TicketIds(bySearch));
        Assert.Equal(1, byTagSearch.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Paging_walks_the_whole_filtered_set_without_overlap()
    {
        var tag = NewTag();
        var ids = await RecordAsync(tag, 5);
        using var admin = await app.CreateAdminClientAsync();

        var first = TicketIds(await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=2&offset=0"));
        var second = TicketIds(await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=2&offset=2"));
        var third = TicketIds(await GetJsonAsync(admin, $"/api/v1/admin/logging/tickets?tags={tag}&limit=2&offset=4"));

        Assert.Equal(ids.AsEnumerable().Reverse(), first.Concat(second).Concat(third));
    }

    [Fact]
    public async Task Stats_count_actions_and_fill_hourly_buckets_with_failures()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await RecordAsync(NewTag(), 2);
        await RecordAsync(NewTag(), 1, fail: true);
        using var admin = await app.CreateAdminClientAsync();

        var stats = await GetJsonAsync(admin, $"/api/v1/admin/logging/stats?date_from={Uri.EscapeDataString(from.ToString("O"))}");

        Assert.Equal("hour", stats.GetProperty("bucket_size").GetString());
        Assert.True(stats.GetProperty("total_actions").GetInt64() >= 3);
        Assert.True(stats.GetProperty("failed_count").GetInt64() >= 1);
        var buckets = stats.GetProperty("actions_over_time").EnumerateArray().ToList();
        Assert.NotEmpty(buckets);
        Assert.Equal(stats.GetProperty("total_actions").GetInt64(), buckets.Sum(b => b.GetProperty("total").GetInt64()));
        Assert.True(stats.GetProperty("by_action_type").GetProperty("USER_ROLE_CHANGED").GetInt64() >= 3);
    }

    [Fact]
    public async Task Failed_actions_lists_only_failures()
    {
        await RecordAsync(NewTag(), 1, fail: true);
        using var admin = await app.CreateAdminClientAsync();

        var body = await GetJsonAsync(admin, "/api/v1/admin/logging/failed-actions?limit=50");

        Assert.All(body.GetProperty("tickets").EnumerateArray(), t => Assert.Equal("FAILED", t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Csv_export_streams_every_filtered_ticket()
    {
        var tag = NewTag();
        var ids = await RecordAsync(tag, 4);
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.GetAsync($"/api/v1/admin/logging/tickets/export?tags={tag}");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("ticket_id,timestamp,action_type,status", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.All(ids, id => Assert.Contains(lines, l => l.StartsWith(id + ",", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Verify_reports_the_chain_intact_once_the_background_sealer_has_run()
    {
        await RecordAsync(NewTag(), 2);
        await app.Services.GetRequiredService<MarketMakers.Core.Audit.Sealing.TicketSealer>().SealPendingAsync();
        using var admin = await app.CreateAdminClientAsync();

        var body = await GetJsonAsync(admin, "/api/v1/admin/logging/verify");

        Assert.True(body.GetProperty("intact").GetBoolean(), body.ToString());
        Assert.True(body.GetProperty("verified_tickets").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("first_broken_ticket_id").ValueKind);
    }

    [Theory]
    [InlineData("date_from=yesterday")]
    [InlineData("user_id=not-a-uuid")]
    [InlineData("status=MAYBE")]
    [InlineData("limit=-1")]
    public async Task Malformed_filters_get_422_with_a_detail(string query)
    {
        using var admin = await app.CreateAdminClientAsync();

        var response = await admin.GetAsync($"/api/v1/admin/logging/tickets?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()));
    }

    private static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..12];

    private Task<List<string>> RecordAsync(string tag, int count, string action = ActionTypes.UserRoleChanged, string? entityId = null, bool fail = false) =>
        LoggingTestSupport.RecordAsync(app.Services, tag, count, action, entityId, fail);

    private static Task<JsonElement> GetJsonAsync(HttpClient client, string url) => LoggingTestSupport.GetJsonAsync(client, url);

    private static List<string> TicketIds(JsonElement body) =>
        body.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("ticket_id").GetString()!).ToList();
}
