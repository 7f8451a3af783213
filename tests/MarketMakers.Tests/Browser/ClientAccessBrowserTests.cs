using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The client access dialog in Chromium: deactivating a client warns first, then cancels its open orders.</summary>
public sealed class ClientAccessBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_deactivates_a_client_from_the_access_dialog_and_its_open_order_is_cancelled()
    {
        var (userId, _) = await Market.CreateTraderAsync(browser.Services, new Dictionary<string, decimal> { ["EUR"] = 10_000m });
        var placed = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(browser.Services,
            s => s.PlaceClientOrderAsync(userId, Market.Order("EUA", OrderSide.Buy.Value, 41.10m, 20)));
        var email = await TestDatabase.ScalarAsync<string>(browser.Postgres, "SELECT email FROM users WHERE id = @p0", userId);

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync("/backoffice/clients");
        await Expect(page.GetByTestId("page-clients")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByPlaceholder("Search name, email or entity").FillAsync(email);
        var row = page.GetByTestId("clients-grid").Locator("tbody tr").Filter(new() { HasText = email });
        await row.GetByTestId("client-access").ClickAsync();

        var dialog = page.GetByTestId("client-access-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.GetByTestId("client-access-submit")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("client-access-warning")).ToHaveCountAsync(0);
        await dialog.GetByText("Active", new() { Exact = true }).ClickAsync();
        await Expect(dialog.GetByText("Deactivated", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("client-access-warning")).ToContainTextAsync("cancels all of its open orders");
        await Expect(page.GetByTestId("client-access-submit")).ToHaveTextAsync("Deactivate");
        await page.GetByTestId("client-access-submit").ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = $"{email}: FUNDED, deactivated; 1 open order(s) cancelled" })).ToContainTextAsync("TKT-");
        await Expect(row.GetByTestId("client-inactive")).ToBeVisibleAsync();
        Assert.Equal("CANCELLED", await TestDatabase.ScalarAsync<string>(browser.Postgres, "SELECT status FROM orders WHERE id = @p0", placed.Value.Order.Id));
    }
}
