using System.Net;
using System.Text.RegularExpressions;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Operations;

/// <summary>Issue 18: every page used to log a 404 for <c>/favicon.ico</c>. The head links an icon and it is served.</summary>
public sealed partial class FaviconTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Favicon_ico_is_served()
    {
        using var client = app.CreateApiClient();
        var response = await client.GetAsync("/favicon.ico");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // An ICO header: reserved 0, type 1 (icon), at least one image.
        Assert.True(bytes.Length > 22 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 1 && bytes[4] >= 1, "not an .ico file");
    }

    [Fact]
    public async Task The_page_head_links_icons_that_are_all_served()
    {
        using var client = app.CreateApiClient();
        var html = await client.GetStringAsync("/login");

        var hrefs = IconLink().Matches(html).Select(m => m.Groups["href"].Value).ToList();
        Assert.Contains(hrefs, h => h.EndsWith(".svg", StringComparison.Ordinal));
        Assert.Contains("favicon.ico", hrefs);
        foreach (var href in hrefs)
        {
            var icon = await client.GetAsync("/" + href.TrimStart('/'));
            Assert.True(icon.StatusCode == HttpStatusCode.OK, $"{href} answered {(int)icon.StatusCode}");
            Assert.StartsWith("image/", icon.Content.Headers.ContentType?.MediaType);
        }
    }

    [GeneratedRegex("""<link rel="icon"[^>]*href="(?<href>[^"]+)"[^>]*>""")]
    private static partial Regex IconLink();
}
