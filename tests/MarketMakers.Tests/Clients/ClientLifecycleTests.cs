using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Clients;

/// <summary>
/// SPEC §2a client lifecycle through <c>PUT /api/v1/admin/users/{id}</c>: a demotion takes the right to trade away, and a
/// deactivation cancels the client's open orders in the same action, releasing their locks, with the ledger still reconciled.
/// On a database of its own, so no other class's orders rest in the books.
/// </summary>
public sealed class ClientLifecycleTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    private static Task<string> StampAsync(string postgres, Guid user) =>
        TestDatabase.ScalarAsync<string>(postgres, "SELECT security_stamp FROM users WHERE id = @p0", user);

    [Fact]
    public async Task A_funded_client_demoted_to_approved_cannot_place_the_next_order()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, eur: "1000");
        var stamp = await StampAsync(app.Postgres, client.UserId);

        var changed = await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { role = "APPROVED" }));
        Assert.Equal(("APPROVED", true), (changed.GetProperty("user").GetProperty("role").GetString(), changed.GetProperty("user").GetProperty("is_active").GetBoolean()));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, changed.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("USER_ROLE_CHANGED", "SUCCESS", client.UserId.ToString()), (ticket.ActionType, ticket.Status, ticket.EntityId));
        Assert.Contains("\"role\": \"FUNDED\"", ticket.BeforeState);
        Assert.Contains("\"role\": \"APPROVED\"", ticket.AfterState);
        Assert.NotEqual(stamp, await StampAsync(app.Postgres, client.UserId));

        // The token issued before the demotion no longer trades (the batch reads the role under the instrument lock;
        // with session revocation it is refused before that, 401).
        var stale = await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "5.00", 10);
        Assert.Contains(stale.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        using var fresh = app.CreateApiClient(await app.LoginAsync(client.Email, UserFactory.DefaultPassword));
        var refused = await OrderApi.PlaceClientAsync(fresh, "CEA", "BUY", "5.00", 10);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", client.EntityId));
    }

    [Fact]
    public async Task Deactivating_a_client_cancels_its_open_orders_releases_the_locks_and_reconciles()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, eur: "10000");
        var cea = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "4.00", 100));
        var eua = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "EUA", "BUY", "30.00", 50));
        var locked = await OrderApi.OkAsync(await client.Http.GetAsync("/api/v1/cash-market/balances"));
        Assert.Equal((8100m, 1900m), (OrderApi.Figures(locked, "EUR").Available, OrderApi.Figures(locked, "EUR").Locked));

        var response = await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { is_active = false }));
        var user = response.GetProperty("user");
        Assert.False(user.GetProperty("is_active").GetBoolean());
        var cancelledIds = user.GetProperty("cancelled_order_ids").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.Equal(new[] { cea, eua }.Select(o => o.GetProperty("order").GetProperty("id").GetString()).ToHashSet(), cancelledIds);

        var ticketId = response.GetProperty("ticket_id").GetString()!;
        var deactivation = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(("USER_DEACTIVATED", "SUCCESS"), (deactivation.ActionType, deactivation.Status));
        Assert.Contains("\"is_active\": true", deactivation.BeforeState);
        Assert.Contains("\"is_active\": false", deactivation.AfterState);
        Assert.Equal(2, deactivation.RelatedTicketIds.Length);
        foreach (var cancelId in deactivation.RelatedTicketIds)
        {
            var cancel = await TicketAssert.LoadAsync(app.Postgres, cancelId);
            Assert.Equal(("ORDER_CANCELLED", "SUCCESS"), (cancel.ActionType, cancel.Status));
            Assert.Contains(ticketId, cancel.RelatedTicketIds);
        }

        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM orders WHERE holder_id = @p0 AND status IN ('OPEN', 'PARTIALLY_FILLED')", client.EntityId));
        Assert.Equal(0m, await TestDatabase.ScalarAsync<decimal>(app.Postgres, "SELECT locked FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", client.EntityId));
        Assert.Equal(10000m, await TestDatabase.ScalarAsync<decimal>(app.Postgres, "SELECT available FROM balances WHERE holder_id = @p0 AND asset = 'EUR'", client.EntityId));
        Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM asset_transactions WHERE holder_id = @p0 AND transaction_type = 'TRADE_CREDIT' AND ticket_id = ANY(@p1)",
            client.EntityId, deactivation.RelatedTicketIds));
        await OrderApi.AssertReconciledAsync(admin);

        // A token issued before the deactivation cannot place anything: the batch reads is_active under the instrument lock.
        var stale = await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "4.00", 1);
        Assert.Contains(stale.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM orders WHERE holder_id = @p0 AND status IN ('OPEN', 'PARTIALLY_FILLED')", client.EntityId));

        var reactivated = await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { is_active = true }));
        Assert.True(reactivated.GetProperty("user").GetProperty("is_active").GetBoolean());
        Assert.Equal("USER_REACTIVATED", (await TicketAssert.LoadAsync(app.Postgres, reactivated.GetProperty("ticket_id").GetString()!)).ActionType);
    }

    [Fact]
    public async Task An_operator_manages_a_client_and_bad_changes_are_refused_with_failed_tickets()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Pending);
        using var operatorClient = await app.CreateClientForRoleAsync(Roles.Operator);

        var approved = await OrderApi.OkAsync(await operatorClient.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { role = "approved" }));
        Assert.Equal("APPROVED", approved.GetProperty("user").GetProperty("role").GetString());

        await MmApi.AssertRejectedAsync(app.Postgres,
            await operatorClient.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { role = "ADMIN" }), HttpStatusCode.UnprocessableEntity, "USER_ROLE_CHANGED");
        await MmApi.AssertRejectedAsync(app.Postgres,
            await operatorClient.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { }), HttpStatusCode.UnprocessableEntity, "USER_ROLE_CHANGED");
        var staff = await app.CreateUserAsync(Roles.Auditor);
        await MmApi.AssertRejectedAsync(app.Postgres,
            await operatorClient.PutAsJsonAsync($"{OrderApi.Users}/{staff.Id}", new { is_active = false }), HttpStatusCode.NotFound, "USER_DEACTIVATED");
    }
}
