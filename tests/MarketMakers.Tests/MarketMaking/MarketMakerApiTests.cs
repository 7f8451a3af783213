using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.MarketMaking;

public sealed class MarketMakerApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Deposit_then_withdraw_leaves_700_and_history_shows_both_rows()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, tag: "arith");

        var deposit = await MmApi.TransactAsync(client, id, "CEA", "DEPOSIT", "1000", "funding");
        var withdraw = await MmApi.TransactAsync(client, id, "CEA", "WITHDRAWAL", 300);
        var balances = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}/balances"));
        var history = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}/transactions?certificate_type=CEA"));

        Assert.Equal(HttpStatusCode.OK, deposit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        var withdrawBody = await MmApi.JsonAsync(withdraw);
        Assert.Equal(700m, withdrawBody.GetProperty("new_balance").Dec("available"));
        Assert.Equal(-300m, withdrawBody.GetProperty("transaction").Dec("amount"));
        var cea = balances.GetProperty("CEA");
        Assert.Equal((700m, 0m, 700m), (cea.Dec("available"), cea.Dec("locked"), cea.Dec("total")));
        Assert.Equal(0m, balances.GetProperty("EUA").Dec("total"));

        Assert.Equal(2, history.GetProperty("total").GetInt32());
        var rows = history.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(("WITHDRAWAL", -300m, 700m), (rows[0].GetProperty("transaction_type").GetString(), rows[0].Dec("amount"), rows[0].Dec("balance_after")));
        Assert.Equal(("DEPOSIT", 1000m, 1000m), (rows[1].GetProperty("transaction_type").GetString(), rows[1].Dec("amount"), rows[1].Dec("balance_after")));
        Assert.Equal(withdrawBody.GetProperty("ticket_id").GetString(), rows[0].GetProperty("ticket_id").GetString());

        var ticket = await TicketAssert.LoadAsync(app.Postgres, withdrawBody.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("ASSET_WITHDRAWAL", "SUCCESS"), (ticket.ActionType, ticket.Status));
        Assert.Contains("\"available\":\"1000", ticket.BeforeState!.Replace(" ", ""));
        Assert.Contains("\"available\":\"700", ticket.AfterState!.Replace(" ", ""));
    }

    [Fact]
    public async Task Eur_deposit_keeps_cents_and_history_filters_by_asset()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, tag: "eur");

        Assert.Equal(HttpStatusCode.OK, (await MmApi.TransactAsync(client, id, "EUR", "DEPOSIT", 1234.56m)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MmApi.TransactAsync(client, id, "EUA", "DEPOSIT", "5")).StatusCode);
        var eurOnly = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}/transactions?certificate_type=EUR"));
        var all = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}/transactions?limit=1"));

        Assert.Equal(1, eurOnly.GetProperty("total").GetInt32());
        Assert.Equal(1234.56m, eurOnly.GetProperty("transactions")[0].Dec("balance_after"));
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Single(all.GetProperty("transactions").EnumerateArray());
        Assert.Equal("EUA", all.GetProperty("transactions")[0].GetProperty("certificate_type").GetString());
    }

    [Fact]
    public async Task Create_with_initial_balances_links_deposit_tickets_and_creates_a_passwordless_mm_user()
    {
        using var client = await app.CreateAdminClientAsync();
        var email = MmApi.UniqueEmail("create");

        var response = await client.PostAsJsonAsync(MmApi.Base, new
        {
            name = "Green Liquidity BV",
            email,
            description = "CEA/EUA liquidity",
            initial_balances = new Dictionary<string, object> { ["CEA"] = "1000", ["EUR"] = 2500.5m },
        });
        var body = await MmApi.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mm = body.GetProperty("market_maker");
        var id = mm.GetProperty("id").GetGuid();
        Assert.Equal(1000m, mm.GetProperty("current_balances").GetProperty("CEA").Dec("available"));
        Assert.Equal(2500.5m, mm.GetProperty("current_balances").GetProperty("EUR").Dec("total"));
        Assert.Equal(0, mm.GetProperty("total_orders").GetInt32());
        Assert.Equal(0, mm.GetProperty("total_trades").GetInt32());
        Assert.True(mm.GetProperty("is_active").GetBoolean());

        var createdTicketId = body.GetProperty("ticket_id").GetString()!;
        var created = await TicketAssert.LoadAsync(app.Postgres, createdTicketId);
        Assert.Equal(("MM_CREATED", "SUCCESS", id.ToString()), (created.ActionType, created.Status, created.EntityId));
        var depositIds = await TestDatabase.ScalarAsync<string[]>(app.Postgres,
            "SELECT array_agg(ticket_id ORDER BY number) FROM ticket_logs WHERE market_maker_id = @p0 AND action_type = 'ASSET_DEPOSIT'", id);
        Assert.Equal(2, depositIds.Length);
        foreach (var depositId in depositIds)
        {
            var deposit = await TicketAssert.LoadAsync(app.Postgres, depositId);
            Assert.Equal("SUCCESS", deposit.Status);
            Assert.Contains(createdTicketId, deposit.RelatedTicketIds);
            Assert.Contains(depositId, created.RelatedTicketIds);
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres,
                "SELECT count(*) FROM asset_transactions WHERE ticket_id = @p0 AND holder_id = @p1", depositId, id));
        }

        var userId = await TestDatabase.ScalarAsync<Guid>(app.Postgres, "SELECT user_id FROM market_maker_clients WHERE id = @p0", id);
        Assert.Equal(mm.GetProperty("user_id").GetGuid(), userId);
        Assert.True(await TestDatabase.ScalarAsync<bool>(app.Postgres, "SELECT password_hash IS NULL FROM users WHERE id = @p0", userId));
        Assert.Equal(Roles.MarketMaker, await TestDatabase.ScalarAsync<string>(app.Postgres,
            "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = @p0", userId));

        using var anonymous = app.CreateApiClient();
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "anything-1234" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Update_records_before_and_after_and_delete_deactivates()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, tag: "update");

        var update = await client.PutAsJsonAsync($"{MmApi.Base}/{id}", new { name = "Renamed MM", description = "new text" });
        var updateBody = await MmApi.JsonAsync(update);
        var delete = await client.DeleteAsync($"{MmApi.Base}/{id}");
        var deleteBody = await MmApi.JsonAsync(delete);
        var get = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}"));

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("Renamed MM", updateBody.GetProperty("market_maker").GetProperty("name").GetString());
        var updated = await TicketAssert.LoadAsync(app.Postgres, updateBody.GetProperty("ticket_id").GetString()!);
        Assert.Equal("MM_UPDATED", updated.ActionType);
        Assert.Contains("Renamed MM", updated.AfterState);
        Assert.DoesNotContain("Renamed MM", updated.BeforeState);

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.True(deleteBody.GetProperty("success").GetBoolean());
        var deleted = await TicketAssert.LoadAsync(app.Postgres, deleteBody.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("MM_DELETED", "SUCCESS"), (deleted.ActionType, deleted.Status));
        Assert.False(get.GetProperty("is_active").GetBoolean());
        Assert.Equal("Renamed MM", get.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_is_newest_first_with_total_and_search()
    {
        using var client = await app.CreateAdminClientAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var first = await CreateNamedAsync(client, $"List {tag} A");
        var second = await CreateNamedAsync(client, $"List {tag} B");

        var page = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}?search={tag}&limit=10"));
        var limited = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}?search={tag}&limit=1&offset=1"));

        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var ids = page.GetProperty("market_makers").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([second, first], ids);
        Assert.Equal(first, limited.GetProperty("market_makers")[0].GetProperty("id").GetGuid());
        Assert.Equal(0m, page.GetProperty("market_makers")[0].GetProperty("current_balances").GetProperty("EUA").Dec("available"));
    }

    [Fact]
    public async Task Reconciliation_of_the_shared_database_is_clean()
    {
        using var client = await app.CreateAdminClientAsync();
        await MmApi.CreateAsync(client, new { CEA = "10", EUA = "20", EUR = "30.25" }, "recon");

        var response = await client.GetAsync("/api/v1/admin/reconciliation");
        var body = await MmApi.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("checked").GetInt32() >= 3);
        Assert.Empty(body.GetProperty("mismatches").EnumerateArray());
    }

    [Fact]
    public async Task Every_market_maker_endpoint_is_in_the_openapi_document()
    {
        using var client = app.CreateApiClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[]
        {
            "/api/v1/admin/market-makers", "/api/v1/admin/market-makers/{id}", "/api/v1/admin/market-makers/{id}/transactions",
            "/api/v1/admin/market-makers/{id}/balances", "/api/v1/admin/reconciliation",
        })
        {
            Assert.Contains($"\"{path}\"", document);
        }
    }

    private static async Task<Guid> CreateNamedAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync(MmApi.Base, new { name, email = MmApi.UniqueEmail("list") });
        return (await MmApi.JsonAsync(response)).GetProperty("market_maker").GetProperty("id").GetGuid();
    }
}
