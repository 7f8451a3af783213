using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

public sealed class SignInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_signs_in_and_sees_the_four_backoffice_tabs()
    {
        var page = await browser.NewPageAsync();

        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/backoffice/market-makers$"));
        var nav = page.GetByTestId("nav");
        foreach (var tab in new[] { "Market Makers", "Market Orders", "Logging", "Clients" })
        {
            await Expect(nav.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true })).ToBeVisibleAsync();
        }

        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync("System Administrator");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "foundation-signed-in");

        await nav.GetByRole(AriaRole.Link, new() { Name = "Logging", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("page-logging")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Wrong_password_shows_the_error_with_its_failed_ticket()
    {
        var page = await browser.NewPageAsync();

        await browser.SignInAsync(page, TestDatabase.AdminEmail, "definitely-wrong-1");

        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("Invalid email or password.");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("TKT-");
        await BrowserFixture.ScreenshotAsync(page, "foundation-sign-in-refused");
    }
}
