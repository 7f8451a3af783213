using System.Net;
using System.Net.Http.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.MarketMaking;

/// <summary>
/// Issue 3 "Bad input": each refusal returns the SPEC §7 error body with a stored FAILED ticket and changes nothing
/// else (the Market Maker's balances and ledger rows stay as they were).
/// </summary>
public sealed class BadInputTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Amount_of_zero_or_less_is_refused(string amount) =>
        await AssertTransactionRefusedAsync("CEA", "DEPOSIT", amount, HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");

    [Fact]
    public async Task Eur_amount_with_more_than_two_decimals_is_refused() =>
        await AssertTransactionRefusedAsync("EUR", "DEPOSIT", "10.001", HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");

    [Theory]
    [InlineData("CEA")]
    [InlineData("EUA")]
    public async Task Fractional_certificates_are_refused(string asset) =>
        await AssertTransactionRefusedAsync(asset, "WITHDRAWAL", "1.5", HttpStatusCode.UnprocessableEntity, "ASSET_WITHDRAWAL");

    [Fact]
    public async Task Unknown_asset_is_refused() =>
        await AssertTransactionRefusedAsync("XYZ", "DEPOSIT", "10", HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");

    [Fact]
    public async Task Unknown_transaction_type_is_refused() =>
        await AssertTransactionRefusedAsync("CEA", "TRADE_CREDIT", "10", HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");

    [Fact]
    public async Task Withdrawal_beyond_available_is_refused() =>
        await AssertTransactionRefusedAsync("CEA", "WITHDRAWAL", "101", HttpStatusCode.BadRequest, "ASSET_WITHDRAWAL");

    [Fact]
    public async Task Transaction_for_an_inactive_market_maker_is_refused()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, new { CEA = "100" }, "inactive");
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"{MmApi.Base}/{id}")).StatusCode);
        var before = await MmApi.StateAsync(app.Postgres, id);

        var response = await MmApi.TransactAsync(client, id, "CEA", "DEPOSIT", "10");

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "ASSET_DEPOSIT");
        Assert.Contains("not active", ticket.ResponseData);
        Assert.Equal(before, await MmApi.StateAsync(app.Postgres, id));
    }

    [Fact]
    public async Task Transaction_for_an_unknown_market_maker_is_refused()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = Guid.NewGuid();

        var response = await MmApi.TransactAsync(client, id, "CEA", "DEPOSIT", "10");

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.NotFound, "ASSET_DEPOSIT");
        Assert.Equal(new LedgerState("", 0), await MmApi.StateAsync(app.Postgres, id));
    }

    [Fact]
    public async Task Duplicate_email_is_refused_with_409()
    {
        using var client = await app.CreateAdminClientAsync();
        var email = MmApi.UniqueEmail("dup");
        var first = await client.PostAsJsonAsync(MmApi.Base, new { name = "First", email });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await client.PostAsJsonAsync(MmApi.Base, new { name = "Second", email = email.ToUpperInvariant(), initial_balances = new { CEA = "5" } });

        await MmApi.AssertRejectedAsync(app.Postgres, second, HttpStatusCode.Conflict, "MM_CREATED");
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM users WHERE normalized_email = upper(@p0)", email));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM market_maker_clients WHERE name = 'Second' AND lower(email) = lower(@p0)", email));
    }

    [Fact]
    public async Task Over_long_name_is_refused()
    {
        using var client = await app.CreateAdminClientAsync();
        var email = MmApi.UniqueEmail("long");

        var response = await client.PostAsJsonAsync(MmApi.Base, new { name = new string('x', 101), email, initial_balances = new { EUR = "10" } });

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_CREATED");
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM users WHERE email = @p0", email));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM market_maker_clients WHERE email = @p0", email));
    }

    [Fact]
    public async Task Malformed_id_is_refused_on_every_action()
    {
        using var client = await app.CreateAdminClientAsync();

        var transact = await MmApi.PostRawAsync(client, $"{MmApi.Base}/not-a-uuid/transactions", """{"certificate_type":"CEA","transaction_type":"WITHDRAWAL","amount":"1"}""");
        var update = await client.PutAsJsonAsync($"{MmApi.Base}/not-a-uuid", new { name = "x" });
        var delete = await client.DeleteAsync($"{MmApi.Base}/12345");
        var get = await client.GetAsync($"{MmApi.Base}/not-a-uuid");

        await MmApi.AssertRejectedAsync(app.Postgres, transact, HttpStatusCode.UnprocessableEntity, "ASSET_WITHDRAWAL");
        await MmApi.AssertRejectedAsync(app.Postgres, update, HttpStatusCode.UnprocessableEntity, "MM_UPDATED");
        await MmApi.AssertRejectedAsync(app.Postgres, delete, HttpStatusCode.UnprocessableEntity, "MM_DELETED");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, get.StatusCode);
    }

    [Fact]
    public async Task Parallel_creates_with_one_email_yield_one_market_maker_and_409s()
    {
        using var client = await app.CreateAdminClientAsync();
        var email = MmApi.UniqueEmail("race");
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await client.PostAsJsonAsync(MmApi.Base, new { name = $"Racer {i}", email, initial_balances = new { EUA = "10" } });
        })).ToList();
        start.Release(6);
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await MmApi.AssertRejectedAsync(app.Postgres, refused, HttpStatusCode.Conflict, "MM_CREATED");
        }

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM market_maker_clients WHERE email = @p0", email));
        Assert.Equal(10m, await TestDatabase.ScalarAsync<decimal>(app.Postgres,
            "SELECT sum(b.available) FROM balances b JOIN market_maker_clients m ON m.id = b.holder_id WHERE m.email = @p0", email));
    }

    [Theory]
    [InlineData("""{"is_active":"yes"}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"description":42}""")]
    [InlineData("{broken")]
    public async Task Bad_update_is_refused_and_changes_nothing(string json)
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, tag: "upd");
        var before = await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}"));

        var response = await client.PutAsync($"{MmApi.Base}/{id}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_UPDATED");
        Assert.Equal(before.ToString(), (await MmApi.JsonAsync(await client.GetAsync($"{MmApi.Base}/{id}"))).ToString());
    }

    [Fact]
    public async Task Over_long_name_on_update_is_refused()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, tag: "updlong");

        var response = await client.PutAsJsonAsync($"{MmApi.Base}/{id}", new { name = new string('y', 101) });

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_UPDATED");
    }

    [Fact]
    public async Task Update_or_delete_of_an_unknown_market_maker_is_refused_with_404()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = Guid.NewGuid();

        var update = await client.PutAsJsonAsync($"{MmApi.Base}/{id}", new { name = "Ghost" });
        var delete = await client.DeleteAsync($"{MmApi.Base}/{id}");
        var get = await client.GetAsync($"{MmApi.Base}/{id}");

        await MmApi.AssertRejectedAsync(app.Postgres, update, HttpStatusCode.NotFound, "MM_UPDATED");
        await MmApi.AssertRejectedAsync(app.Postgres, delete, HttpStatusCode.NotFound, "MM_DELETED");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"certificate_type":"CEA","transaction_type":"DEPOSIT","amount":true}""")]
    [InlineData("""{"certificate_type":7,"transaction_type":"DEPOSIT","amount":"1"}""")]
    [InlineData("""{"certificate_type":"CEA","transaction_type":"DEPOSIT","amount":"ten"}""")]
    [InlineData("""{"certificate_type":"CEA","transaction_type":"DEPOSIT"}""")]
    public async Task Malformed_or_mistyped_transaction_body_is_refused(string json)
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, new { CEA = "100" }, "body");
        var before = await MmApi.StateAsync(app.Postgres, id);

        var response = await MmApi.PostRawAsync(client, $"{MmApi.Base}/{id}/transactions", json);

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");
        Assert.Equal(before, await MmApi.StateAsync(app.Postgres, id));
    }

    [Theory]
    [InlineData("{oops")]
    [InlineData("""{"name":"N","email":"a@b.test","initial_balances":{"CEA":"x"}}""")]
    [InlineData("""{"name":"N","email":"a@b.test","initial_balances":{"GOLD":"1"}}""")]
    [InlineData("""{"name":"N","email":"a@b.test","initial_balances":{"CEA":"-1"}}""")]
    [InlineData("""{"name":"N","email":"not-an-email"}""")]
    [InlineData("""{"name":123,"email":"a@b.test"}""")]
    public async Task Malformed_create_body_is_refused(string json)
    {
        using var client = await app.CreateAdminClientAsync();

        var response = await MmApi.PostRawAsync(client, MmApi.Base, json);

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_CREATED");
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM users WHERE email = 'a@b.test'"));
    }

    private async Task AssertTransactionRefusedAsync(string asset, string type, string amount, HttpStatusCode status, string actionType)
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, new { CEA = "100", EUA = "100", EUR = "100" }, "bad");
        var before = await MmApi.StateAsync(app.Postgres, id);

        var response = await MmApi.TransactAsync(client, id, asset, type, amount);

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, status, actionType);
        Assert.Contains(amount, ticket.RequestPayload);
        Assert.Equal(before, await MmApi.StateAsync(app.Postgres, id));
    }
}
