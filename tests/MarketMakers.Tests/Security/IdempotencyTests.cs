using System.Net;
using System.Text;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Security;

/// <summary>
/// Double submission: every money-moving API command accepts an <c>Idempotency-Key</c>. The same key three
/// times is one effect and the same response (status, body, original ticket id); the same key with another
/// request is a 409 with a FAILED ticket.
/// </summary>
public sealed class IdempotencyTests(AppFactory app) : IClassFixture<AppFactory>
{
    private sealed record Answer(HttpStatusCode Status, string Body, bool Replayed)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    private static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, string? json, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }

    private static string NewKey() => Guid.NewGuid().ToString();

    /// <summary>Sends the request 3 times with one key and checks: same status and body, the later ones flagged as replays.</summary>
    private static async Task<Answer> ThriceAsync(HttpClient client, HttpMethod method, string path, string? json, string key)
    {
        var first = await SendAsync(client, method, path, json, key);
        Assert.True(first.Status == HttpStatusCode.OK, $"first: {(int)first.Status} {first.Body}");
        Assert.False(first.Replayed);
        for (var i = 0; i < 2; i++)
        {
            var again = await SendAsync(client, method, path, json, key);
            Assert.Equal(first.Status, again.Status);
            Assert.Equal(first.Body, again.Body);
            Assert.True(again.Replayed);
        }

        Assert.StartsWith("TKT-", first.Json.GetProperty("ticket_id").GetString());
        return first;
    }

    private async Task AssertConflictAsync(HttpClient client, HttpMethod method, string path, string? json, string key)
    {
        var conflict = await SendAsync(client, method, path, json, key);
        Assert.True(conflict.Status == HttpStatusCode.Conflict, $"expected 409, got {(int)conflict.Status} {conflict.Body}");
        var ticketId = conflict.Json.GetProperty("ticket_id").GetString()!;
        Assert.False(string.IsNullOrEmpty(conflict.Json.GetProperty("detail").GetString()));
        Assert.Equal("FAILED", (await TicketAssert.LoadAsync(app.Postgres, ticketId)).Status);
    }

    private static string TxBody(object amount) =>
        JsonSerializer.Serialize(new { certificate_type = "EUR", transaction_type = "DEPOSIT", amount, notes = "idempotent" });

    [Fact]
    public async Task Market_maker_transaction_with_one_key_three_times_books_once()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "idem");
        var path = $"{MmApi.Base}/{mm}/transactions";
        var key = NewKey();

        var first = await ThriceAsync(admin, HttpMethod.Post, path, TxBody("100.00"), key);

        var state = await MmApi.StateAsync(app.Postgres, mm);
        Assert.Equal(1, state.Rows);
        Assert.Equal(100m, first.Json.GetProperty("new_balance").Dec("available"));
        Assert.Equal("SUCCESS", (await TicketAssert.LoadAsync(app.Postgres, first.Json.GetProperty("ticket_id").GetString()!)).Status);
        await AssertConflictAsync(admin, HttpMethod.Post, path, TxBody("200.00"), key);
        Assert.Equal(state, await MmApi.StateAsync(app.Postgres, mm));

        // Without a key, or with a fresh key, the same body is a new deposit.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, path, TxBody("100.00"), NewKey())).Status);
        Assert.Equal(2, (await MmApi.StateAsync(app.Postgres, mm)).Rows);
    }

    [Fact]
    public async Task Three_concurrent_requests_with_one_key_book_once_and_answer_alike()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "idem-par");
        var path = $"{MmApi.Base}/{mm}/transactions";
        var key = NewKey();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(admin, HttpMethod.Post, path, TxBody("50"), key)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{(int)a.Status} {a.Body}"));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Equal(2, answers.Count(a => a.Replayed));
        var state = await MmApi.StateAsync(app.Postgres, mm);
        Assert.Equal(1, state.Rows);
        Assert.Contains("EUR:50.00/", state.Balances);
    }

    [Fact]
    public async Task Client_deposit_with_one_key_three_times_books_once()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin);
        var path = $"{OrderApi.Users}/{client.UserId}/deposits";
        var key = NewKey();

        var first = await ThriceAsync(admin, HttpMethod.Post, path, """{"amount":"250.00","notes":"wire"}""", key);

        Assert.Equal(250m, first.Json.GetProperty("new_balance").Dec("available"));
        Assert.Equal(1, (await MmApi.StateAsync(app.Postgres, client.EntityId)).Rows);
        await AssertConflictAsync(admin, HttpMethod.Post, path, """{"amount":"251.00","notes":"wire"}""", key);
        Assert.Equal(1, (await MmApi.StateAsync(app.Postgres, client.EntityId)).Rows);
    }

    [Fact]
    public async Task Admin_market_order_place_and_cancel_with_one_key_three_times_act_once()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000" }, tag: "idem-order");
        var place = JsonSerializer.Serialize(new
        {
            market_maker_id = mm, certificate_type = "CEA", side = "SELL", order_type = "LIMIT", price = "9999.00", quantity = "5",
        });
        var key = NewKey();

        var placed = await ThriceAsync(admin, HttpMethod.Post, OrderApi.MarketOrders, place, key);

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE market_maker_id = @p0", mm));
        await AssertConflictAsync(admin, HttpMethod.Post, OrderApi.MarketOrders, place.Replace("\"5\"", "\"6\""), key);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE market_maker_id = @p0", mm));

        var orderId = placed.Json.GetProperty("order").GetProperty("id").GetGuid();
        var cancelKey = NewKey();
        await ThriceAsync(admin, HttpMethod.Delete, $"{OrderApi.MarketOrders}/{orderId}", null, cancelKey);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM ticket_logs WHERE action_type = 'MM_ORDER_CANCELLED' AND status = 'SUCCESS' AND entity_id = @p0", orderId.ToString()));
        await AssertConflictAsync(admin, HttpMethod.Delete, $"{OrderApi.MarketOrders}/{Guid.NewGuid()}", null, cancelKey);
    }

    [Fact]
    public async Task Cash_market_order_place_and_cancel_with_one_key_three_times_act_once()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        var place = """{"certificate_type":"CEA","side":"BUY","order_type":"LIMIT","price":"0.01","quantity":"3"}""";
        var key = NewKey();

        var placed = await ThriceAsync(client.Http, HttpMethod.Post, OrderApi.CashOrders, place, key);

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", client.EntityId));
        await AssertConflictAsync(client.Http, HttpMethod.Post, OrderApi.CashOrders, place.Replace("\"3\"", "\"4\""), key);

        var orderId = placed.Json.GetProperty("order").GetProperty("id").GetGuid();
        var cancelKey = NewKey();
        await ThriceAsync(client.Http, HttpMethod.Delete, $"{OrderApi.CashOrders}/{orderId}", null, cancelKey);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM ticket_logs WHERE action_type = 'ORDER_CANCELLED' AND status = 'SUCCESS' AND entity_id = @p0", orderId.ToString()));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", client.EntityId));
    }

    [Fact]
    public async Task Keys_are_per_user_so_another_user_reusing_a_key_acts_on_its_own()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var a = await OrderApi.CreateClientAsync(app, admin, eur: "100.00");
        using var b = await OrderApi.CreateClientAsync(app, admin, eur: "100.00");
        var place = """{"certificate_type":"EUA","side":"BUY","order_type":"LIMIT","price":"0.01","quantity":"1"}""";
        var key = NewKey();

        var first = await SendAsync(a.Http, HttpMethod.Post, OrderApi.CashOrders, place, key);
        var second = await SendAsync(b.Http, HttpMethod.Post, OrderApi.CashOrders, place, key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.False(second.Replayed);
        Assert.NotEqual(first.Json.GetProperty("ticket_id").GetString(), second.Json.GetProperty("ticket_id").GetString());
    }

    [Fact]
    public async Task A_rejected_attempt_does_not_use_up_its_key()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "idem-retry");
        var path = $"{MmApi.Base}/{mm}/transactions";
        var key = NewKey();
        var withdraw = JsonSerializer.Serialize(new { certificate_type = "EUR", transaction_type = "WITHDRAWAL", amount = "10.00" });

        var refused = await SendAsync(admin, HttpMethod.Post, path, withdraw, key);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, path, TxBody("10.00"), NewKey())).Status);
        var retried = await SendAsync(admin, HttpMethod.Post, path, withdraw, key);

        Assert.True(retried.Status == HttpStatusCode.OK, $"{(int)retried.Status} {retried.Body}");
        Assert.False(retried.Replayed);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("x")]
    public async Task A_malformed_key_is_a_422_with_a_failed_ticket(string key)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "idem-bad");
        var badKey = key == "x" ? new string('k', 129) : key;

        var answer = await SendAsync(admin, HttpMethod.Post, $"{MmApi.Base}/{mm}/transactions", TxBody("1"), badKey);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("FAILED", (await TicketAssert.LoadAsync(app.Postgres, answer.Json.GetProperty("ticket_id").GetString()!)).Status);
        Assert.Equal(0, (await MmApi.StateAsync(app.Postgres, mm)).Rows);
    }
}
