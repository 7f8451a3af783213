using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18 in a real browser: under the Content-Security-Policy every back-office page loads, its Blazor circuit
/// goes interactive and MudBlazor renders, with no console error (a CSP violation is one), no 4xx/5xx resource
/// (the favicon was one) and the headers on the document.
/// </summary>
public sealed class PageHygieneBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Back_office_pages_run_interactive_under_the_csp_with_no_console_error_or_failed_resource()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (problems) { problems.Add($"console: {message.Text}"); }
            }
        };
        page.PageError += (_, error) => { lock (problems) { problems.Add($"page error: {error}"); } };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (problems) { problems.Add($"{response.Status} {response.Url}"); }
            }
        };

        var login = await page.GotoAsync("/login");
        Assert.Contains("frame-ancestors 'none'", (await login!.AllHeadersAsync())["content-security-policy"]);
        // The page's icon is the one the head links, and the browser fetched it without an error.
        await Expect(page.Locator("link[rel=icon][type='image/svg+xml']")).ToHaveCountAsync(1);

        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/backoffice/market-makers$"));
        await BrowserFixture.WaitForInteractiveAsync(page);

        foreach (var (path, testId) in new[]
                 {
                     ("/backoffice/market-orders", "page-market-orders"), ("/backoffice/logging", "page-logging"),
                     ("/backoffice/clients", "page-clients"), ("/backoffice/market-makers", "page-market-makers"),
                 })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId(testId)).ToBeVisibleAsync();
            await BrowserFixture.WaitForInteractiveAsync(page);
        }

        // Interactive for real: a client-side navigation through the circuit renders the next page.
        await page.GetByTestId("nav").GetByRole(AriaRole.Link, new() { Name = "Logging", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("page-logging")).ToBeVisibleAsync();

        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
    }
}
