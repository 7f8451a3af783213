using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The Clients page in Chromium: create a FUNDED client with its entity, fund it with a ticketed EUR deposit.</summary>
public sealed class ClientsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_creates_a_funded_client_funds_EUR_and_the_client_can_trade_on_the_cash_market()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync("/backoffice/clients");
        await Expect(page.GetByTestId("page-clients")).ToHaveAttributeAsync("data-interactive", "true");

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"treasury-{suffix}@alpine-cement.test";
        const string password = "Client-Passw0rd-77";
        await page.GetByTestId("client-create").ClickAsync();
        var dialog = page.GetByTestId("client-create-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("client-first-name").FillAsync("Marco");
        await page.GetByTestId("client-last-name").FillAsync("Bianchi");
        await page.GetByTestId("client-email").FillAsync(email);
        await page.GetByTestId("client-password").FillAsync("short");
        await page.GetByTestId("client-entity").FillAsync($"Alpine Cement {suffix}");
        await page.GetByTestId("client-create-submit").ClickAsync();
        await Expect(dialog).ToContainTextAsync("at least 10 characters, with letters and digits", new() { IgnoreCase = true });
        await page.GetByTestId("client-password").FillAsync(password);
        await BrowserFixture.ScreenshotAsync(page, "market-client-create-dialog");
        await page.GetByTestId("client-create-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = $"Client {email} created" })).ToContainTextAsync("TKT-");

        var row = page.GetByTestId("clients-grid").Locator("tbody tr").Filter(new() { HasText = email });
        await Expect(row.GetByTestId("client-role")).ToHaveTextAsync("FUNDED");
        await Expect(row.GetByTestId("client-balance-eur")).ToContainTextAsync("0.00");

        await row.GetByTestId("client-fund").ClickAsync();
        await Expect(page.GetByTestId("client-fund-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("fund-amount").FillAsync("250000.50");
        await page.GetByTestId("fund-submit").ClickAsync();
        await Expect(page.GetByTestId("client-fund-dialog")).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "deposited for Alpine Cement" })).ToContainTextAsync("TKT-");
        await Expect(row.GetByTestId("client-balance-eur")).ToContainTextAsync("250,000.50");
        await BrowserFixture.ScreenshotAsync(page, "market-clients");

        // The new client signs in and sees its EUR on the Cash Market page, with the order form.
        var client = await browser.NewPageAsync();
        await browser.SignInAsync(client, email, password);
        await client.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await client.GotoAsync("/cash-market");
        await Expect(client.GetByTestId("page-cash-market")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(client.GetByTestId("balance-eur").GetByTestId("balance-available")).ToHaveTextAsync("€ 250,000.50");
        await Expect(client.GetByTestId("client-order-form")).ToBeVisibleAsync();
    }
}
