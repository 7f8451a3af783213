using System.Net;
using System.Text.RegularExpressions;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18 abuse resistance: a CSP Blazor Server and MudBlazor run under (no unsafe-eval, scripts by origin and
/// nonce), frame-ancestors 'none', Referrer-Policy, X-Content-Type-Options, HSTS behind HTTPS, and cookies that are
/// HttpOnly, SameSite=Strict and Secure behind HTTPS. The browser side is PageHygieneBrowserTests.
/// </summary>
public sealed partial class SecurityHeadersTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Pages_carry_a_strict_csp_whose_nonce_is_on_the_inline_import_map()
    {
        using var client = app.CreateApiClient();
        var response = await client.GetAsync("/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = Header(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("default-src 'self'", directives["default-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("connect-src 'self'", directives["connect-src"]);
        Assert.Equal("style-src 'self' 'unsafe-inline'", directives["style-src"]);
        var nonce = Regex.Match(directives["script-src"], "^script-src 'self' 'nonce-([A-Za-z0-9+/=]{20,})'$").Groups[1].Value;
        Assert.NotEmpty(nonce);

        // Every inline script on the page carries the nonce; external ones come from this origin.
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.Contains(scripts, s => s.Contains("importmap", StringComparison.Ordinal) && s.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal));
        Assert.All(scripts, s => Assert.True(s.Contains("src=\"", StringComparison.Ordinal) ? !s.Contains("://", StringComparison.Ordinal) : s.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal), s));

        // A fresh nonce each response.
        var again = Header(await client.GetAsync("/login"), "Content-Security-Policy");
        Assert.NotEqual(csp, again);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/api/v1/admin/market-makers")]
    [InlineData("/favicon.ico")]
    [InlineData("/health")]
    public async Task Every_response_has_the_browser_hardening_headers_and_no_hsts_over_http(string path)
    {
        using var client = app.CreateApiClient();
        var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS must not be sent over plain HTTP");
    }

    [Fact]
    public async Task Behind_https_hsts_is_sent_and_the_sign_in_cookies_are_secure_httponly_and_samesite_strict()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });

        var page = await client.GetAsync("/login");
        Assert.Matches(@"^max-age=\d{7,}; includeSubDomains$", Header(page, "Strict-Transport-Security"));
        var antiforgery = Assert.Single(SetCookies(page), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        AssertHardened(antiforgery);

        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        var signIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = TestDatabase.AdminEmail,
            ["password"] = TestDatabase.AdminPassword,
            ["returnUrl"] = "",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        AssertHardened(Assert.Single(SetCookies(signIn), c => c.StartsWith("mm.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Over_plain_http_the_session_cookie_is_still_httponly_and_samesite_strict()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetAsync("/login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        var signIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = TestDatabase.AdminEmail, ["password"] = TestDatabase.AdminPassword, ["returnUrl"] = "", ["__RequestVerificationToken"] = token,
        }));

        var cookie = Assert.Single(SetCookies(signIn), c => c.StartsWith("mm.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
    }

    private static void AssertHardened(string setCookie)
    {
        var attributes = setCookie.ToLowerInvariant().Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri}");

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
