using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Security;

/// <summary>
/// Every API endpoint and every page, for each of anonymous, PENDING, APPROVED, FUNDED, MARKET_MAKER and ADMIN.
/// The matrix is read from the app's endpoint metadata and the Web assembly's <c>[Route]</c> components, so a new
/// endpoint or page is covered as soon as it exists; the expectation comes from <see cref="ApiRules"/> and
/// <see cref="PageRules"/>, a small table keyed by route prefix (SPEC §2), so e.g. anything new under
/// /api/v1/admin is expected to be ADMIN-only. A route no rule covers fails the test until it is classified.
/// </summary>
public sealed partial class AuthorizationMatrixTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public void The_matrix_is_built_from_metadata_and_every_route_is_classified_and_declares_its_access()
    {
        var api = ApiRoutes();
        var pages = PageRoutes();

        Assert.Contains(api, r => r.Method == "POST" && r.Pattern == "/api/v1/admin/market-makers/{id}/transactions");
        Assert.Contains(api, r => r.Method == "DELETE" && r.Pattern == "/api/v1/cash-market/orders/{id}");
        Assert.Contains(pages, p => p.Template == "/backoffice/market-makers/{Id}");
        Assert.True(api.Count >= 25, $"only {api.Count} API routes found");
        Assert.All(api, r => Assert.True(r.HasAuthorizationMetadata,
            $"{r.Method} {r.Pattern} declares neither RequireAuthorization nor AllowAnonymous"));
        Assert.All(pages, p => Assert.True(p.HasAuthorizationMetadata, $"page {p.Template} ({p.Source}) has neither [Authorize] nor [AllowAnonymous]"));
        Assert.All(api, r => AllowedFor(r));
        Assert.All(pages, p => AllowedFor(p));
    }

    [Theory]
    [MemberData(nameof(Roles_))]
    public async Task Every_api_endpoint_answers_the_role_as_the_role_table_says(string role)
    {
        using var client = await ApiClientAsync(role);
        var failures = new StringBuilder();
        var routes = ApiRoutes();

        foreach (var route in routes)
        {
            var path = Fill(route.Pattern);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            if (route.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent(BodyFor(route), Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var allowed = AllowedFor(route).Contains(role == Roles.MarketMaker ? Anonymous : role);
            var expected = allowed ? "allowed (2xx or a 4xx other than 401/403)" : role is Anonymous or Roles.MarketMaker ? "401" : "403";
            var ok = allowed ? status < 500 && status is not 401 and not 403 : status == (role is Anonymous or Roles.MarketMaker ? 401 : 403);
            if (!ok)
            {
                failures.AppendLine($"{role} {route.Method} {path}: got {status}, expected {expected}: {Truncate(await response.Content.ReadAsStringAsync())}");
            }
        }

        Assert.True(failures.Length == 0, $"{routes.Count} routes checked for {role}:\n{failures}");
    }

    [Theory]
    [MemberData(nameof(Roles_))]
    public async Task Every_page_answers_the_role_as_the_role_table_says(string role)
    {
        using var client = await CookieClientAsync(role);
        var failures = new StringBuilder();
        var pages = PageRoutes();

        foreach (var page in pages)
        {
            var path = Fill(page.Template);
            using var response = await client.GetAsync(path);
            var status = (int)response.StatusCode;
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : "";
            var toLogin = status is 301 or 302 or 303 or 307 && location.StartsWith("/login", StringComparison.Ordinal);
            var allowed = AllowedFor(page).Contains(role == Roles.MarketMaker ? Anonymous : role);
            bool ok;
            string expected;
            if (allowed)
            {
                // A page renders its own "not found"; an export endpoint of an unknown (placeholder) id answers 404.
                ok = status is >= 200 and < 300 || (status is >= 300 and < 400 && !toLogin) || (page.IsEndpoint && status == 404);
                expected = page.IsEndpoint ? "2xx or 404 (or a redirect that is not to /login)" : "2xx (or a redirect that is not to /login)";
            }
            else if (role is Anonymous or Roles.MarketMaker)
            {
                ok = toLogin;
                expected = "redirect to /login";
            }
            else
            {
                ok = status == 403;
                expected = "403";
            }

            if (!ok)
            {
                failures.AppendLine($"{role} GET {path}: got {status} {location}, expected {expected}");
            }
        }

        Assert.True(failures.Length == 0, $"{pages.Count} pages checked for {role}:\n{failures}");
    }

    /// <summary>
    /// SPEC §2a: every mutation an AUDITOR (or an OPERATOR, on staff management) is refused answers 403 with the error
    /// body, and its ticket_id names a FAILED ticket of the endpoint's action type, recording who tried.
    /// </summary>
    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Operator)]
    public async Task Every_refused_admin_mutation_is_403_with_a_failed_ticket_of_its_action(string role)
    {
        var user = await app.CreateUserAsync(role);
        using var client = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/v1/admin/", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Where(m => m != "GET")
                .Select(m => (Method: m, Pattern: e.RoutePattern.RawText!, Action: e.Metadata.GetMetadata<MarketMakers.Web.Auth.ActionTypeMetadata>())))
            .Where(r => !AllowedFor(new ApiRoute(r.Method, r.Pattern, true)).Contains(role))
            .ToList();
        Assert.NotEmpty(endpoints);
        var failures = new StringBuilder();
        foreach (var (method, pattern, action) in endpoints)
        {
            if (action is null)
            {
                failures.AppendLine($"{method} {pattern} declares no ActionTypeMetadata");
                continue;
            }

            var body = """{"role":"ADMIN","is_active":false,"transaction_type":"WITHDRAWAL"}""";
            using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.AppendLine($"{method} {pattern}: got {(int)response.StatusCode}, expected 403: {Truncate(text)}");
                continue;
            }

            using var json = System.Text.Json.JsonDocument.Parse(text);
            var ticketId = json.RootElement.GetProperty("ticket_id").GetString()!;
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("detail").GetString()));
            var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
            if (ticket.Status != "FAILED" || ticket.ActionType != action.ActionTypeFor(body) || ticket.UserId != user.Id)
            {
                failures.AppendLine($"{method} {pattern}: ticket {ticketId} is {ticket.Status} {ticket.ActionType} by {ticket.UserId}");
            }
        }

        Assert.True(failures.Length == 0, $"{endpoints.Count} refused mutations checked for {role}:\n{failures}");
    }

    /// <summary>
    /// The body an allowed role sends: <c>{}</c>, except for the kill switch, where <c>{}</c> would cancel every open order
    /// of the shared database under other test classes' feet; an unknown Market Maker is answered 404 without effect.
    /// </summary>
    private static string BodyFor(ApiRoute route) =>
        route.Pattern.EndsWith("/market-orders/cancel-all", StringComparison.Ordinal) ? $$"""{"market_maker_id":"{{Guid.NewGuid()}}"}""" : "{}";

    private static string Truncate(string text) => text.Length > 200 ? text[..200] : text;

    private async Task<HttpClient> ApiClientAsync(string role)
    {
        switch (role)
        {
            case Anonymous:
                return app.CreateApiClient();
            case Roles.Admin:
                return await app.CreateAdminClientAsync();
            case Roles.MarketMaker:
                // A MARKET_MAKER can never sign in: its login is refused and it is then no better than anonymous.
                var mm = await app.CreateUserAsync(Roles.MarketMaker);
                var anonymous = app.CreateApiClient();
                var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = mm.Email, password = UserFactory.DefaultPassword });
                Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
                return anonymous;
            default:
                return await app.CreateClientForRoleAsync(role);
        }
    }

    private async Task<HttpClient> CookieClientAsync(string role)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (role == Anonymous)
        {
            return client;
        }

        var (email, password) = role == Roles.Admin
            ? (TestDatabase.AdminEmail, TestDatabase.AdminPassword)
            : ((await app.CreateUserAsync(role)).Email!, UserFactory.DefaultPassword);
        var html = await client.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "",
            ["__RequestVerificationToken"] = token,
        }));
        var location = response.Headers.Location?.OriginalString ?? "";
        if (role == Roles.MarketMaker)
        {
            Assert.StartsWith("/login?error=", location);
        }
        else
        {
            Assert.False(location.StartsWith("/login", StringComparison.Ordinal), $"{role} page sign-in refused: {location}");
        }

        return client;
    }
}
