using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using static MarketMakers.Tests.Approvals.FourEyesApi;

namespace MarketMakers.Tests.Approvals;

/// <summary>SPEC §3a through the API with four-eyes on: requests, decisions, their tickets and what the ledger does.</summary>
public sealed class FourEyesApiTests(ApprovalsAppFactory app) : IClassFixture<ApprovalsAppFactory>
{
    private static readonly string[] RequestFields =
        ["id", "status", "holder_id", "asset", "transaction_type", "amount", "notes", "requested_by", "requested_at", "decided_by", "decided_at", "reason"];

    [Fact]
    public async Task A_movement_answers_202_with_the_pending_request_field_by_field_and_moves_nothing()
    {
        using var admin = await app.FirstAdminAsync();
        var created = await StatusAsync(await admin.Http.PostAsJsonAsync(MmApi.Base, new
        {
            name = $"MM shape {Guid.NewGuid():N}", email = MmApi.UniqueEmail("shape"), initial_balances = new { CEA = "1000", EUR = "500.00" },
        }), HttpStatusCode.OK);
        Assert.Equal(["market_maker", "requests", "ticket_id"], created.EnumerateObject().Select(p => p.Name));
        var mm = created.GetProperty("market_maker").GetProperty("id").GetGuid();
        Assert.Equal(0m, created.GetProperty("market_maker").GetProperty("current_balances").GetProperty("CEA").Dec("available"));
        var initial = created.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal(["CEA", "EUR"], initial.Select(r => r.GetProperty("asset").GetString()));
        Assert.All(initial, r => Assert.Equal(("PENDING", "DEPOSIT", mm), (r.GetProperty("status").GetString(), r.GetProperty("transaction_type").GetString(), r.GetProperty("holder_id").GetGuid())));
        var created_ticket = await TicketAssert.LoadAsync(app.Postgres, created.GetProperty("ticket_id").GetString()!);
        Assert.Equal("MM_CREATED", created_ticket.ActionType);

        var response = await MmApi.TransactAsync(admin.Http, mm, "EUA", "DEPOSIT", "250", "desk top-up");
        var body = await StatusAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(["request", "ticket_id"], body.EnumerateObject().Select(p => p.Name));
        var request = body.GetProperty("request");
        Assert.Equal(RequestFields, request.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("PENDING", mm, "EUA", "DEPOSIT", 250m, "desk top-up", admin.Id),
            (request.GetProperty("status").GetString(), request.GetProperty("holder_id").GetGuid(), request.GetProperty("asset").GetString(),
             request.GetProperty("transaction_type").GetString(), request.Dec("amount"), request.GetProperty("notes").GetString(), request.GetProperty("requested_by").GetGuid()));
        Assert.True(request.GetProperty("requested_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.All(new[] { "decided_by", "decided_at", "reason" }, f => Assert.Equal(JsonValueKind.Null, request.GetProperty(f).ValueKind));

        var ticket = await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LEDGER_MOVEMENT_REQUESTED", "SUCCESS", request.GetProperty("id").GetString()), (ticket.ActionType, ticket.Status, ticket.EntityId));
        Assert.Equal(new LedgerState("", 0), await MmApi.StateAsync(app.Postgres, mm));

        // The client deposit is a request too, for the client's entity, in EUR.
        using var client = await OrderApi.CreateClientAsync(app, admin.Http);
        var deposit = await StatusAsync(await admin.Http.PostAsJsonAsync($"{OrderApi.Users}/{client.UserId}/deposits", new { amount = "1000.00" }), HttpStatusCode.Accepted);
        Assert.Equal((client.EntityId, "EUR", "DEPOSIT"), (deposit.GetProperty("request").GetProperty("holder_id").GetGuid(),
            deposit.GetProperty("request").GetProperty("asset").GetString(), deposit.GetProperty("request").GetProperty("transaction_type").GetString()));

        var pending = await StatusAsync(await admin.Http.GetAsync($"{Base}?status=PENDING&limit=1000"), HttpStatusCode.OK);
        Assert.Equal(["total", "requests"], pending.EnumerateObject().Select(p => p.Name));
        Assert.Contains(pending.GetProperty("requests").EnumerateArray(), r => r.GetProperty("id").GetGuid() == request.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.Http.GetAsync($"{Base}?status=MAYBE")).StatusCode);
    }

    [Fact]
    public async Task A_request_is_validated_when_made_unknown_or_inactive_holders_and_bad_amounts_are_refused_with_a_failed_ticket()
    {
        using var admin = await app.FirstAdminAsync();
        await MmApi.AssertRejectedAsync(app.Postgres, await MmApi.TransactAsync(admin.Http, Guid.NewGuid(), "CEA", "DEPOSIT", "10"),
            HttpStatusCode.NotFound, "LEDGER_MOVEMENT_REQUESTED");
        var mm = await MmApi.CreateAsync(admin.Http, tag: "val");
        await MmApi.AssertRejectedAsync(app.Postgres, await MmApi.TransactAsync(admin.Http, mm, "CEA", "DEPOSIT", "1.5"),
            HttpStatusCode.UnprocessableEntity, "LEDGER_MOVEMENT_REQUESTED");
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.DeleteAsync($"{MmApi.Base}/{mm}")).StatusCode);
        await MmApi.AssertRejectedAsync(app.Postgres, await MmApi.TransactAsync(admin.Http, mm, "CEA", "DEPOSIT", "10"),
            HttpStatusCode.BadRequest, "LEDGER_MOVEMENT_REQUESTED");
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM movement_requests WHERE holder_id = @p0", mm));
    }

    [Fact]
    public async Task A_second_admin_approves_in_one_transaction_whose_ticket_the_ledger_row_carries()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "approve");
        var (id, requestTicket) = await RequestAsync(admin.Http, mm, "CEA", "DEPOSIT", "400", "wire 1");

        var approved = await StatusAsync(await ApproveAsync(second.Http, id), HttpStatusCode.OK);

        Assert.Equal(["request", "transaction", "new_balance", "ticket_id"], approved.EnumerateObject().Select(p => p.Name));
        var ticketId = approved.GetProperty("ticket_id").GetString()!;
        var request = approved.GetProperty("request");
        Assert.Equal(("APPROVED", second.Id), (request.GetProperty("status").GetString(), request.GetProperty("decided_by").GetGuid()));
        Assert.Equal((400m, ticketId, "DEPOSIT"), (approved.GetProperty("transaction").Dec("amount"),
            approved.GetProperty("transaction").GetProperty("ticket_id").GetString(), approved.GetProperty("transaction").GetProperty("transaction_type").GetString()));
        Assert.Equal(400m, approved.GetProperty("new_balance").Dec("available"));
        Assert.Equal(new LedgerState("CEA:400.00/0.00", 1), await MmApi.StateAsync(app.Postgres, mm));
        Assert.Equal(ticketId, await TestDatabase.ScalarAsync<string>(app.Postgres, "SELECT ticket_id FROM asset_transactions WHERE holder_id = @p0", mm));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(("LEDGER_MOVEMENT_APPROVED", "SUCCESS", second.Id), (ticket.ActionType, ticket.Status, ticket.UserId));
        Assert.Equal([requestTicket], ticket.RelatedTicketIds);

        // Decided once: a second decision is a conflict with its FAILED ticket, linking both earlier tickets.
        var again = await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(admin.Http, id), HttpStatusCode.Conflict, "LEDGER_MOVEMENT_APPROVED");
        Assert.Equal([requestTicket, ticketId], again.RelatedTicketIds);
        await MmApi.AssertRejectedAsync(app.Postgres, await RejectAsync(second.Http, id, "too late"), HttpStatusCode.Conflict, "LEDGER_MOVEMENT_REJECTED");
        await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(second.Http, Guid.NewGuid()), HttpStatusCode.NotFound, "LEDGER_MOVEMENT_APPROVED");
    }

    [Fact]
    public async Task Approving_your_own_request_is_forbidden_with_a_failed_ticket_and_nothing_moves()
    {
        using var admin = await app.FirstAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "self");
        var (id, requestTicket) = await RequestAsync(admin.Http, mm, "EUR", "DEPOSIT", "1000000.00");

        var refused = await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(admin.Http, id), HttpStatusCode.Forbidden, "LEDGER_MOVEMENT_APPROVED");

        Assert.Equal(id.ToString(), refused.EntityId);
        Assert.Equal([requestTicket], refused.RelatedTicketIds);
        Assert.Equal("PENDING", await RequestStatusAsync(app.Postgres, id));
        Assert.Equal(new LedgerState("", 0), await MmApi.StateAsync(app.Postgres, mm));
    }

    [Fact]
    public async Task Parallel_approvals_of_one_request_execute_exactly_once_and_the_others_get_409()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        using var third = await app.CreateSecondAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "race");
        var (id, _) = await RequestAsync(admin.Http, mm, "CEA", "DEPOSIT", "100");

        var responses = await Task.WhenAll(new[] { second, third, second, third }.Select(a => ApproveAsync(a.Http, id)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await MmApi.AssertRejectedAsync(app.Postgres, loser, HttpStatusCode.Conflict, "LEDGER_MOVEMENT_APPROVED");
        }

        Assert.Equal(new LedgerState("CEA:100.00/0.00", 1), await MmApi.StateAsync(app.Postgres, mm));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM ticket_logs WHERE entity_id = @p0 AND action_type = 'LEDGER_MOVEMENT_APPROVED' AND status = 'SUCCESS'", id.ToString()));
    }

    [Fact]
    public async Task A_withdrawal_no_longer_covered_at_approval_fails_the_request_and_nothing_moves()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        var mm = await FundedMarketMakerAsync(admin.Http, second.Http, new { CEA = "100" }, "uncovered");
        var (id, requestTicket) = await RequestAsync(admin.Http, mm, "CEA", "WITHDRAWAL", "80");
        // Meanwhile 50 go into a resting ask: 50 available, the withdrawal of 80 is no longer covered.
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin.Http, mm, "CEA", "80.00", 50));
        var before = await MmApi.StateAsync(app.Postgres, mm);

        var failed = await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(second.Http, id), HttpStatusCode.BadRequest, "LEDGER_MOVEMENT_APPROVED");

        Assert.Contains("Insufficient available CEA", failed.ResponseData);
        Assert.Equal([requestTicket], failed.RelatedTicketIds);
        Assert.Equal(before, await MmApi.StateAsync(app.Postgres, mm));
        Assert.Equal(("FAILED", failed.TicketId), (await RequestStatusAsync(app.Postgres, id),
            await TestDatabase.ScalarAsync<string>(app.Postgres, "SELECT decision_ticket_id FROM movement_requests WHERE id = @p0", id)));
        var listed = await StatusAsync(await admin.Http.GetAsync($"{Base}?status=FAILED"), HttpStatusCode.OK);
        var row = Assert.Single(listed.GetProperty("requests").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        Assert.Contains("Insufficient", row.GetProperty("reason").GetString());
        await OrderApi.AssertReconciledAsync(admin.Http);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_records_it_and_links_the_earlier_tickets()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "reject");
        var (id, requestTicket) = await RequestAsync(admin.Http, mm, "EUA", "DEPOSIT", "70");

        var noReason = await MmApi.AssertRejectedAsync(app.Postgres, await RejectAsync(second.Http, id, "  "), HttpStatusCode.UnprocessableEntity, "LEDGER_MOVEMENT_REJECTED");
        var rejected = await StatusAsync(await RejectAsync(second.Http, id, "No wire received"), HttpStatusCode.OK);

        Assert.Equal(["request", "ticket_id"], rejected.EnumerateObject().Select(p => p.Name));
        var request = rejected.GetProperty("request");
        Assert.Equal(("REJECTED", "No wire received", second.Id), (request.GetProperty("status").GetString(), request.GetProperty("reason").GetString(), request.GetProperty("decided_by").GetGuid()));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, rejected.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LEDGER_MOVEMENT_REJECTED", "SUCCESS"), (ticket.ActionType, ticket.Status));
        Assert.Equal([requestTicket, noReason.TicketId], ticket.RelatedTicketIds);
        Assert.Contains("No wire received", ticket.RequestPayload);
        await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(second.Http, id), HttpStatusCode.Conflict, "LEDGER_MOVEMENT_APPROVED");
        Assert.Equal(new LedgerState("", 0), await MmApi.StateAsync(app.Postgres, mm));
    }

    [Fact]
    public async Task Idempotency_key_replays_a_request_and_an_approval_without_a_second_effect()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "idem");
        var key = Guid.NewGuid().ToString("N");

        var first = await SendKeyedAsync(admin.Http, $"{MmApi.Base}/{mm}/transactions", key, new { certificate_type = "CEA", transaction_type = "DEPOSIT", amount = "30" });
        var retry = await SendKeyedAsync(admin.Http, $"{MmApi.Base}/{mm}/transactions", key, new { certificate_type = "CEA", transaction_type = "DEPOSIT", amount = "30" });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM movement_requests WHERE holder_id = @p0", mm));
        var id = JsonDocument.Parse(firstBody).RootElement.GetProperty("request").GetProperty("id").GetGuid();

        var approveKey = Guid.NewGuid().ToString("N");
        var approved = await SendKeyedAsync(second.Http, $"{Base}/{id}/approve", approveKey, null);
        var replayed = await SendKeyedAsync(second.Http, $"{Base}/{id}/approve", approveKey, null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (approved.StatusCode, replayed.StatusCode));
        Assert.Equal(await approved.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal(new LedgerState("CEA:30.00/0.00", 1), await MmApi.StateAsync(app.Postgres, mm));
    }

    private static Task<HttpResponseMessage> SendKeyedAsync(HttpClient client, string path, string key, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
