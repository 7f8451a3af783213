using System.Net;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Api;

/// <summary>The interactive reference (Scalar) at <c>/api/docs</c>, anonymous, on the served document.</summary>
public sealed class ApiReferenceTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_reference_page_is_html_that_loads_the_served_document()
    {
        using var client = app.CreateApiClient();

        using var page = await client.GetAsync("/api/docs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/openapi/v1.json", html);
        Assert.Contains("MarketMakers API reference", html);
        // The page's script is served by the app itself (no CDN: the reference works offline and under a strict CSP).
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), html);
        Assert.False(script.StartsWith("http", StringComparison.Ordinal), script);
        using var asset = await client.GetAsync(new Uri(new Uri("http://localhost/api/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }
}
