using System.Net;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MarketMakers.Tests.Api;

/// <summary>The interactive reference (Scalar) at <c>/api/docs</c>, anonymous, on the served document.</summary>
public sealed class ApiReferenceTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_reference_page_is_html_that_loads_the_served_document()
    {
        using var client = app.CreateClient();

        using var page = await client.GetAsync("/api/docs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("/api/docs", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.Contains("MarketMakers API reference", html);
        // The page's script is served by the app itself (no CDN: the reference works offline and under a strict CSP).
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), html);
        Assert.False(script.StartsWith("http", StringComparison.Ordinal), script);
        using var asset = await client.GetAsync(new Uri(page.RequestMessage.RequestUri, script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }
}

/// <summary>The reference as a person sees it: Chromium renders the operations of the served document.</summary>
public sealed class ApiReferenceBrowserTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_reference_renders_the_documented_operations_and_tags()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/api/docs");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "MarketMakers API" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Sign in", new() { Exact = true }).First).ToBeVisibleAsync();
        await page.GetByText("Cash Market", new() { Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByText("Place an order", new() { Exact = true }).First).ToBeVisibleAsync();
    }
}
