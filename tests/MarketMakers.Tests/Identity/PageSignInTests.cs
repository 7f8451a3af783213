using System.Net;
using System.Text.RegularExpressions;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketMakers.Tests.Identity;

/// <summary>The sign-in page's form post, the cookie it sets, and what the pages do with it.</summary>
public sealed partial class PageSignInTests(AppFactory app) : IClassFixture<AppFactory>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task Anonymous_visitor_of_a_backoffice_page_is_sent_to_sign_in()
    {
        using var client = Browserless();

        var response = await client.GetAsync("/backoffice/logging");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=%2Fbackoffice%2Flogging", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Admin_signs_in_by_page_and_lands_on_the_backoffice()
    {
        using var client = Browserless();

        var response = await PostLoginAsync(client, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        var page = await client.GetAsync("/backoffice/market-makers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/backoffice/market-makers", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Market_maker_is_refused_by_the_page_and_the_refusal_is_audited()
    {
        var mm = await app.CreateUserAsync(Roles.MarketMaker);
        using var client = Browserless();

        var response = await PostLoginAsync(client, mm.Email!, UserFactory.DefaultPassword);
        var location = response.Headers.Location!.OriginalString;
        var ticketId = Regex.Match(location, "ticket=(TKT-[0-9-]+)").Groups[1].Value;

        Assert.StartsWith("/login?error=", location);
        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(("LOGIN_FAILED", "FAILED"), (ticket.ActionType, ticket.Status));
        Assert.Contains("MARKET_MAKER", ticket.ResponseData);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/backoffice/market-makers")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Funded)]
    [InlineData(Roles.Pending)]
    public async Task Signed_in_non_admin_gets_403_on_a_backoffice_page(string role)
    {
        var user = await app.CreateUserAsync(role);
        using var client = Browserless();
        await PostLoginAsync(client, user.Email!, UserFactory.DefaultPassword);

        var response = await client.GetAsync("/backoffice/market-makers");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Page_sign_in_and_sign_out_write_login_success_and_logout_with_the_request_origin()
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        using var client = Browserless();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MarketMakersTest/1.0");
        await PostLoginAsync(client, user.Email!, UserFactory.DefaultPassword);

        var token = await AntiforgeryTokenAsync(client, "/login");
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var tickets = await TicketAssert.ForEntityAsync(app.Postgres, user.Id.ToString());
        var login = Assert.Single(tickets, t => t.ActionType == "LOGIN_SUCCESS");
        var signOut = Assert.Single(tickets, t => t.ActionType == "LOGOUT");
        Assert.Equal("MarketMakersTest/1.0", login.UserAgent);
        Assert.False(string.IsNullOrEmpty(login.SessionId));
        Assert.Equal(login.SessionId, signOut.SessionId);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/cash-market")).StatusCode);
    }

    [Fact]
    public async Task Health_reports_postgres_and_redis_separately()
    {
        using var client = Browserless();

        var body = await client.GetStringAsync("/health");

        Assert.Contains("\"postgres\":{\"status\":\"Healthy\"", body);
        Assert.Contains("\"redis\":{\"status\":\"Healthy\"", body);
    }

    private HttpClient Browserless() =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "",
            ["__RequestVerificationToken"] = token,
        }));
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
    }
}
