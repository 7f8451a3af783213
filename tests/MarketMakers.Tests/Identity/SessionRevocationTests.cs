using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using static MarketMakers.Tests.Identity.TwoFactorTestKit;

namespace MarketMakers.Tests.Identity;

/// <summary>Sessions end on their next request, for the cookie and the bearer token alike.</summary>
public sealed class SessionRevocationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string ApiProbe = "/api/v1/cash-market/orders";
    private const string PageProbe = "/cash-market";

    [Fact]
    public async Task Logout_revokes_only_the_calling_token_and_writes_LOGOUT()
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        using var first = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));
        using var second = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));

        var logout = await first.PostAsync("/api/v1/auth/logout", null);
        var body = await JsonAsync(logout);

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var ticket = await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LOGOUT", "SUCCESS", user.Id), (ticket.ActionType, ticket.Status, ticket.UserId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync(ApiProbe)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await second.GetAsync(ApiProbe)).StatusCode);
    }

    [Fact]
    public async Task Page_logout_ends_that_cookie_even_if_replayed()
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        var (page, _) = await PageLoginAsync(app, user.Email!, UserFactory.DefaultPassword);
        using var replay = app.CreateApiClient();
        // The same cookie, kept aside as an attacker who copied it would: signing out must kill it server-side.
        var jar = (await page.GetAsync(PageProbe)).RequestMessage!.Headers.GetValues("Cookie").Single();
        replay.DefaultRequestHeaders.Add("Cookie", jar);

        var logout = await PostFormAsync(page, PageProbe, "/account/logout", []);
        var after = await replay.GetAsync(PageProbe);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/login", after.Headers.Location?.ToString());
    }

    public static TheoryData<string> Changes => ["password", "role change (stamp rotated)", "deactivation"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_change_of_the_user_ends_existing_cookie_and_bearer_on_the_next_request(string change)
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        using var bearer = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));
        var (page, _) = await PageLoginAsync(app, user.Email!, UserFactory.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync(PageProbe)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await bearer.GetAsync(ApiProbe)).StatusCode);

        switch (change)
        {
            case "password":
                using (var anonymous = app.CreateApiClient())
                {
                    var changed = await anonymous.PostAsJsonAsync("/api/v1/auth/password",
                        new { email = user.Email, password = UserFactory.DefaultPassword, new_password = "Changed-Passw0rd-2" });
                    Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
                    var ticket = await TicketAssert.LoadAsync(app.Postgres, (await JsonAsync(changed)).GetProperty("ticket_id").GetString()!);
                    Assert.Equal("PASSWORD_CHANGED", ticket.ActionType);
                    Assert.DoesNotContain("Changed-Passw0rd-2", ticket.RequestPayload);
                }

                break;
            case "deactivation":
                await MutateUserAsync(app, user.Id, u => u.Deactivate());
                break;
            default:
                await MutateUserAsync(app, user.Id, u => u.RevokeSessions());
                break;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(ApiProbe)).StatusCode);
        var pageAfter = await page.GetAsync(PageProbe);
        Assert.Equal(HttpStatusCode.Redirect, pageAfter.StatusCode);
        Assert.Contains("/login", pageAfter.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_deactivated_user_cannot_sign_in_and_the_ticket_says_why()
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        await MutateUserAsync(app, user.Id, u => u.Deactivate());

        var response = await ApiLoginAsync(app, user.Email!, UserFactory.DefaultPassword);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(SignInService.RefusedMessage, body.GetProperty("detail").GetString());
        Assert.Contains("deactivated", (await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!)).ResponseData);
    }

    [Fact]
    public async Task Must_change_password_blocks_api_login_until_changed_by_api()
    {
        var staff = await app.CreateUserAsync(Roles.Operator);
        await MutateUserAsync(app, staff.Id, u => u.MustChangePassword = true);

        var before = await ApiLoginAsync(app, staff.Email!, UserFactory.DefaultPassword);
        using var anonymous = app.CreateApiClient();
        var wrongCurrent = await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { email = staff.Email, password = "nope-nope-1", new_password = "Operator-Passw0rd-9" });
        var changed = await anonymous.PostAsJsonAsync("/api/v1/auth/password", new { email = staff.Email, password = UserFactory.DefaultPassword, new_password = "Operator-Passw0rd-9" });
        var after = await ApiLoginAsync(app, staff.Email!, "Operator-Passw0rd-9");

        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Contains("change your password", (await JsonAsync(before)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCurrent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Must_change_password_on_the_page_leads_to_the_change_step_then_sign_in()
    {
        var staff = await app.CreateUserAsync(Roles.Auditor);
        await MutateUserAsync(app, staff.Id, u => u.MustChangePassword = true);

        var (page, signIn) = await PageLoginAsync(app, staff.Email!, UserFactory.DefaultPassword);
        var changed = await PostFormAsync(page, "/account/change-password", "/account/password", new()
        {
            ["email"] = staff.Email!, ["password"] = UserFactory.DefaultPassword,
            ["newPassword"] = "Auditor-Passw0rd-7", ["confirmPassword"] = "Auditor-Passw0rd-7",
        });
        var again = await PostFormAsync(page, "/login", "/account/login", new() { ["email"] = staff.Email!, ["password"] = "Auditor-Passw0rd-7" });

        Assert.StartsWith("/account/change-password", signIn.Headers.Location?.OriginalString);
        Assert.StartsWith("/login?info=", changed.Headers.Location?.OriginalString);
        Assert.Equal("/backoffice/market-makers", again.Headers.Location?.OriginalString);
    }
}
