using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Staff;

/// <summary>The web app on a database of its own, so the number of active admins is known (the seeded one plus the test's).</summary>
public sealed class StaffAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("staff");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

/// <summary>SPEC §2a staff management: list, create, role change, deactivation, 2FA reset, and the rules, each ticketed.</summary>
public sealed class StaffApiTests(StaffAppFactory app) : IClassFixture<StaffAppFactory>
{
    private const string Staff = "/api/v1/admin/staff";

    private Task<Guid> AdminIdAsync() =>
        TestDatabase.ScalarAsync<Guid>(app.Postgres, "SELECT id FROM users WHERE email = @p0", TestDatabase.AdminEmail);

    private Task<string> StampAsync(Guid user) =>
        TestDatabase.ScalarAsync<string>(app.Postgres, "SELECT security_stamp FROM users WHERE id = @p0", user);

    [Fact]
    public async Task An_admin_creates_a_staff_member_who_must_change_the_password_and_lists_staff()
    {
        using var admin = await app.CreateAdminClientAsync();
        var email = $"operator-{Guid.NewGuid():N}@test.local";
        var created = await OrdersOk(await admin.PostAsJsonAsync(Staff, new
        {
            email, password = "Initial-Passw0rd", first_name = "Olga", last_name = "Operator", role = "OPERATOR",
        }));
        var user = created.GetProperty("user");
        Assert.Equal((email, "OPERATOR", true, false), (user.GetProperty("email").GetString(), user.GetProperty("role").GetString(),
            user.GetProperty("is_active").GetBoolean(), user.GetProperty("two_factor_enabled").GetBoolean()));
        var id = user.GetProperty("id").GetGuid();
        var ticket = await TicketAssert.LoadAsync(app.Postgres, created.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("USER_CREATED", "SUCCESS", id.ToString()), (ticket.ActionType, ticket.Status, ticket.EntityId));
        Assert.DoesNotContain("Initial-Passw0rd", ticket.RequestPayload ?? "");
        Assert.True(await TestDatabase.ScalarAsync<bool>(app.Postgres, "SELECT must_change_password FROM users WHERE id = @p0", id));

        var list = await OrdersOk(await admin.GetAsync(Staff));
        var staff = list.GetProperty("staff").EnumerateArray().ToList();
        Assert.Equal(staff.Count, list.GetProperty("total").GetInt32());
        Assert.Contains(staff, s => s.GetProperty("email").GetString() == email && s.GetProperty("first_name").GetString() == "Olga");
        Assert.Contains(staff, s => s.GetProperty("email").GetString() == TestDatabase.AdminEmail && s.GetProperty("role").GetString() == "ADMIN");
        Assert.DoesNotContain(staff, s => s.GetProperty("role").GetString() is "FUNDED" or "APPROVED" or "PENDING" or "MARKET_MAKER");

        await MmApi.AssertRejectedAsync(app.Postgres, await admin.PostAsJsonAsync(Staff, new
        {
            email = $"x-{Guid.NewGuid():N}@test.local", password = "Initial-Passw0rd", first_name = "X", last_name = "Y", role = "FUNDED",
        }), HttpStatusCode.UnprocessableEntity, "USER_CREATED");
        await MmApi.AssertRejectedAsync(app.Postgres, await admin.PostAsJsonAsync(Staff, new
        {
            email, password = "Initial-Passw0rd", first_name = "X", last_name = "Y", role = "AUDITOR",
        }), HttpStatusCode.Conflict, "USER_CREATED");
    }

    [Fact]
    public async Task Nobody_changes_their_own_role_or_deactivates_themselves()
    {
        using var admin = await app.CreateAdminClientAsync();
        var me = await AdminIdAsync();
        await MmApi.AssertRejectedAsync(app.Postgres, await admin.PutAsJsonAsync($"{Staff}/{me}", new { role = "OPERATOR" }),
            HttpStatusCode.Forbidden, "USER_ROLE_CHANGED");
        await MmApi.AssertRejectedAsync(app.Postgres, await admin.PutAsJsonAsync($"{Staff}/{me}", new { is_active = false }),
            HttpStatusCode.Forbidden, "USER_DEACTIVATED");
        Assert.True(await TestDatabase.ScalarAsync<bool>(app.Postgres, "SELECT is_active FROM users WHERE id = @p0", me));
        Assert.Equal("ADMIN", await TestDatabase.ScalarAsync<string>(app.Postgres,
            "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = @p0", me));
    }

    [Fact]
    public async Task Role_change_deactivation_and_two_factor_reset_are_ticketed_and_rotate_the_stamp()
    {
        using var admin = await app.CreateAdminClientAsync();
        var member = await app.CreateUserAsync(Roles.Operator);
        var stamp = await StampAsync(member.Id);

        var auditor = await OrdersOk(await admin.PutAsJsonAsync($"{Staff}/{member.Id}", new { role = "AUDITOR" }));
        Assert.Equal("AUDITOR", auditor.GetProperty("user").GetProperty("role").GetString());
        var roleTicket = await TicketAssert.LoadAsync(app.Postgres, auditor.GetProperty("ticket_id").GetString()!);
        Assert.Equal("USER_ROLE_CHANGED", roleTicket.ActionType);
        Assert.Contains("\"role\": \"OPERATOR\"", roleTicket.BeforeState);
        Assert.Contains("\"role\": \"AUDITOR\"", roleTicket.AfterState);
        var afterRole = await StampAsync(member.Id);
        Assert.NotEqual(stamp, afterRole);

        // Simulate an enrolled authenticator: the flag, the key and the recovery codes.
        await TestDatabase.ExecuteAsync(app.Postgres, $"""
            UPDATE users SET two_factor_enabled = true WHERE id = '{member.Id}';
            INSERT INTO user_tokens (user_id, login_provider, name, value) VALUES
              ('{member.Id}', '[AspNetUserStore]', 'AuthenticatorKey', 'KEY'), ('{member.Id}', '[AspNetUserStore]', 'RecoveryCodes', 'a;b');
            """);
        var reset = await OrdersOk(await admin.PostAsync($"{Staff}/{member.Id}/reset-two-factor", null));
        Assert.False(reset.GetProperty("user").GetProperty("two_factor_enabled").GetBoolean());
        var resetTicket = await TicketAssert.LoadAsync(app.Postgres, reset.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("TWO_FACTOR_RESET", "SUCCESS"), (resetTicket.ActionType, resetTicket.Status));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM user_tokens WHERE user_id = @p0", member.Id));
        var afterReset = await StampAsync(member.Id);
        Assert.NotEqual(afterRole, afterReset);

        var off = await OrdersOk(await admin.PutAsJsonAsync($"{Staff}/{member.Id}", new { is_active = false }));
        var offTicket = await TicketAssert.LoadAsync(app.Postgres, off.GetProperty("ticket_id").GetString()!);
        Assert.Equal("USER_DEACTIVATED", offTicket.ActionType);
        Assert.Contains("\"is_active\": true", offTicket.BeforeState);
        Assert.Contains("\"is_active\": false", offTicket.AfterState);
        Assert.NotEqual(afterReset, await StampAsync(member.Id));
        var on = await OrdersOk(await admin.PutAsJsonAsync($"{Staff}/{member.Id}", new { is_active = true }));
        Assert.Equal("USER_REACTIVATED", (await TicketAssert.LoadAsync(app.Postgres, on.GetProperty("ticket_id").GetString()!)).ActionType);

        var client = await app.CreateUserAsync(Roles.Funded);
        await MmApi.AssertRejectedAsync(app.Postgres, await admin.PutAsJsonAsync($"{Staff}/{client.Id}", new { role = "ADMIN" }),
            HttpStatusCode.NotFound, "USER_ROLE_CHANGED");
    }

    /// <summary>
    /// Two admins demote each other at once: the admin rows are locked, so exactly one demotion commits and the other
    /// finds itself about to remove the last active ADMIN (400, FAILED ticket). One active admin remains either way.
    /// </summary>
    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_exactly_one_admin()
    {
        // Two fresh admins are the only active ones while the test runs; the seeded admin is set aside and restored.
        var me = await AdminIdAsync();
        var first = await app.CreateUserAsync(Roles.Admin);
        var second = await app.CreateUserAsync(Roles.Admin);
        using var one = app.CreateApiClient(await app.LoginAsync(first.Email!, UserFactory.DefaultPassword));
        using var two = app.CreateApiClient(await app.LoginAsync(second.Email!, UserFactory.DefaultPassword));
        await TestDatabase.ExecuteAsync(app.Postgres, $"""
            UPDATE users SET is_active = false WHERE id NOT IN ('{first.Id}', '{second.Id}')
              AND id IN (SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = 'ADMIN');
            """);
        try
        {
            var responses = await Task.WhenAll(
                one.PutAsJsonAsync($"{Staff}/{second.Id}", new { role = "OPERATOR" }),
                two.PutAsJsonAsync($"{Staff}/{first.Id}", new { role = "AUDITOR" }));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            var ticket = await MmApi.AssertRejectedAsync(app.Postgres, loser, HttpStatusCode.BadRequest, "USER_ROLE_CHANGED");
            Assert.Contains("last active ADMIN", ticket.ResponseData);
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, """
                SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
                WHERE r.name = 'ADMIN' AND u.is_active
                """));
        }
        finally
        {
            await TestDatabase.ExecuteAsync(app.Postgres, $"UPDATE users SET is_active = true WHERE id = '{me}'");
        }
    }

    private static Task<System.Text.Json.JsonElement> OrdersOk(HttpResponseMessage response) => Orders.OrderApi.OkAsync(response);
}
