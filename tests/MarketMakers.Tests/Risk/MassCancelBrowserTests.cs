using System.Globalization;
using System.Text.RegularExpressions;
using MarketMakers.Core.Identity;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Risk;

/// <summary>The kill switch on the Market Orders page, in Chromium: the confirmation names the count, and the orders go.</summary>
public sealed class MassCancelBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Cancel_all_of_one_market_maker_asks_with_the_count_and_cancels_its_orders_and_the_auditor_sees_no_button()
    {
        var mm = await CreateMarketMakerAsync();
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            await orders.PlaceMarketMakerOrderAsync(mm.Id, CommandShortcuts.Terms("CEA", "SELL", await FreeAskPriceAsync("CEA"), 3));
            await orders.PlaceMarketMakerOrderAsync(mm.Id, CommandShortcuts.Terms("CEA", "SELL", await FreeAskPriceAsync("CEA"), 4));
            await orders.PlaceMarketMakerOrderAsync(mm.Id, CommandShortcuts.Terms("EUA", "SELL", await FreeAskPriceAsync("EUA"), 5));
        }

        var page = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, $"/backoffice/market-orders?mm={mm.Id}");
        var rows = page.GetByTestId("mm-orders-table").Locator("tbody tr").Filter(new() { HasText = mm.Name });
        await Expect(rows.GetByTestId("order-status").Filter(new() { HasText = "Open" })).ToHaveCountAsync(3);

        // The book's switch names its own count and can be backed out of.
        await page.GetByTestId("cancel-all-book").ClickAsync();
        await Expect(page.GetByTestId("cancel-all-question")).ToHaveTextAsync(new Regex(@"^Cancel \d+ open orders? in CEA\?$"));
        await page.GetByTestId("cancel-all-keep").ClickAsync();
        await Expect(page.GetByTestId("cancel-all-dialog")).ToHaveCountAsync(0);

        await page.GetByTestId("cancel-all-mm").ClickAsync();
        await Expect(page.GetByTestId("cancel-all-question")).ToHaveTextAsync($"Cancel 3 open orders of {mm.Name} in CEA and EUA?");
        await BrowserFixture.ScreenshotAsync(page, "mass-cancel-confirmation");
        await page.GetByTestId("cancel-all-submit").ClickAsync();

        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "3 open orders cancelled" })).ToContainTextAsync("TKT-");
        await Expect(rows.GetByTestId("order-status").Filter(new() { HasText = "Cancelled" })).ToHaveCountAsync(3);
        var open = await browser.Services.GetRequiredService<OrderQueries>().ListOrdersAsync(mm.Id, OrderStatus.Open, Core.PageRequest.Of(10, 0));
        Assert.Equal(0, open.Total);

        var auditor = await browser.CreateUserAsync(Roles.Auditor);
        var audit = await SignedInPageAsync(auditor.Email!, UserFactory.DefaultPassword, $"/backoffice/market-orders?mm={mm.Id}");
        await Expect(audit.GetByTestId("mm-orders-table")).ToBeVisibleAsync();
        await Expect(audit.GetByTestId("cancel-all-mm")).ToHaveCountAsync(0);
        await Expect(audit.GetByTestId("cancel-all-book")).ToHaveCountAsync(0);
    }

    private async Task<IPage> SignedInPageAsync(string email, string password, string path)
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, email, password);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        await Expect(page.GetByTestId("page-market-orders")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("order-book")).ToHaveAttributeAsync("data-loaded", "true");
        return page;
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync()
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(new CreateMarketMakerRequest(
            $"Nordic Liquidity {suffix}", $"kill-switch-{suffix}@test.local", null,
            new Dictionary<string, decimal> { ["CEA"] = 100, ["EUA"] = 100 }));
        return created.Value;
    }

    /// <summary>A price inside the shared book's spread, so the ask neither crosses a resting bid nor trades.</summary>
    private async Task<decimal> FreeAskPriceAsync(string certificateType)
    {
        var book = await browser.Services.GetRequiredService<OrderQueries>().GetBookAsync(CertificateType.Parse(certificateType));
        var low = book.BestBid ?? 0m;
        var high = book.BestAsk ?? low + 200m;
        Assert.True(high - low >= 0.03m, $"The shared {certificateType} book is too tight ({low}/{high}).");
        var offset = Random.Shared.Next(1, (int)Math.Min(5000, (high - low) * 100) - 1) / 100m;
        return decimal.Parse(Math.Max(low + 0.01m, Math.Min(high - 0.01m, low + offset)).ToString("0.00", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
