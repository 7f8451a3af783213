using System.Net;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using static MarketMakers.Tests.Identity.TwoFactorTestKit;

namespace MarketMakers.Tests.Identity;

/// <summary>The API's second factor, with Security:RequireTwoFactor on.</summary>
public sealed class TwoFactorSignInTests(TwoFactorAppFactory app) : IClassFixture<TwoFactorAppFactory>
{
    [Fact]
    public async Task Missing_or_wrong_code_is_401_with_the_reason_in_LOGIN_FAILED_and_never_the_code()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var (key, _) = await EnrollAsync(app.Services, admin.Id);
        var wrong = Code(key, 20);

        var missing = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword);
        var refused = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, wrong);
        var accepted = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, Code(key, 1));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var missingTicket = await TicketAssert.LoadAsync(app.Postgres, (await JsonAsync(missing)).GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LOGIN_FAILED", "FAILED"), (missingTicket.ActionType, missingTicket.Status));
        Assert.Contains("two-factor code required", missingTicket.ResponseData);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await JsonAsync(refused);
        Assert.Equal(SignInService.WrongCodeMessage, body.GetProperty("detail").GetString());
        var ticket = await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LOGIN_FAILED", "FAILED", admin.Id), (ticket.ActionType, ticket.Status, ticket.UserId));
        Assert.Contains("wrong two-factor code", ticket.ResponseData);
        Assert.DoesNotContain(wrong, ticket.RequestPayload + ticket.ResponseData + ticket.AfterState);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.False(string.IsNullOrEmpty((await JsonAsync(accepted)).GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task A_used_code_is_refused_within_its_window()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var (key, _) = await EnrollAsync(app.Services, admin.Id);
        var code = Code(key, 1);

        var first = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, code);
        var again = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        var ticket = await TicketAssert.LoadAsync(app.Postgres, (await JsonAsync(again)).GetProperty("ticket_id").GetString()!);
        Assert.Contains("already used", ticket.ResponseData);
    }

    [Fact]
    public async Task A_recovery_code_works_once_in_place_of_the_otp()
    {
        var client = await app.CreateUserAsync(Roles.Funded);
        var (_, recovery) = await EnrollAsync(app.Services, client.Id);

        var first = await ApiLoginAsync(app, client.Email!, UserFactory.DefaultPassword, recovery[3]);
        var again = await ApiLoginAsync(app, client.Email!, UserFactory.DefaultPassword, recovery[3]);
        var other = await ApiLoginAsync(app, client.Email!, UserFactory.DefaultPassword, recovery[4]);

        Assert.Equal(10, recovery.Count);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_count_toward_lockout()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var (key, _) = await EnrollAsync(app.Services, admin.Id);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, Code(key, 40 + i))).StatusCode);
        }

        var right = await ApiLoginAsync(app, admin.Email!, UserFactory.DefaultPassword, Code(key, 1));

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var ticket = await TicketAssert.LoadAsync(app.Postgres, (await JsonAsync(right)).GetProperty("ticket_id").GetString()!);
        Assert.Contains("locked out", ticket.ResponseData);
    }

    [Fact]
    public async Task Unenrolled_staff_must_enroll_on_the_web_page_first_while_clients_need_not()
    {
        var operatorUser = await app.CreateUserAsync(Roles.Operator);
        var client = await app.CreateUserAsync(Roles.Funded);

        var api = await ApiLoginAsync(app, operatorUser.Email!, UserFactory.DefaultPassword);
        var (page, signIn) = await PageLoginAsync(app, operatorUser.Email!, UserFactory.DefaultPassword);
        var elsewhere = await page.GetAsync("/backoffice/market-makers");
        var enrollment = await page.GetStringAsync("/account/two-factor");
        var clientApi = await ApiLoginAsync(app, client.Email!, UserFactory.DefaultPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("enroll", (await JsonAsync(api)).GetProperty("detail").GetString());
        Assert.Equal("/account/two-factor", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("/account/two-factor", elsewhere.Headers.Location?.OriginalString);
        Assert.Contains("data-testid=\"two-factor-key\"", enrollment);
        Assert.Equal(HttpStatusCode.OK, clientApi.StatusCode);
    }
}
