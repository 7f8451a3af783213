using System.Globalization;
using System.Text.RegularExpressions;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>A database of its own: the bid must not meet the asks other browser classes leave resting.</summary>
public sealed class MmBuyBrowserFixture() : OwnDatabaseBrowserFixture("mmbuyui");

/// <summary>Issue 17 "MM BUY orders" on the Market Orders page, in Chromium against the real app.</summary>
public sealed class MmBuyOrderBrowserTests(MmBuyBrowserFixture browser) : IClassFixture<MmBuyBrowserFixture>
{
    [Fact]
    public async Task The_desk_switches_the_form_to_BUY_sees_the_mm_eur_and_places_a_bid_that_rests()
    {
        var mm = await CreateMarketMakerAsync(eur: 10_000m);
        var price = await FreePriceAsync();
        var key = price.ToString("0.00", CultureInfo.InvariantCulture);

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync($"/backoffice/market-orders?mm={mm.Id}");
        await Expect(page.GetByTestId("page-market-orders")).ToHaveAttributeAsync("data-interactive", "true");

        // BUY shows the EUR the bid will lock.
        await page.GetByTestId("order-side").GetByText("BUY", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("order-mm-available")).ToContainTextAsync("10,000.00");
        await page.GetByTestId("order-price").FillAsync(key);
        await page.GetByTestId("order-quantity").FillAsync("10");
        await Expect(page.GetByTestId("order-total")).ToContainTextAsync(Eur(price * 10));
        await Expect(page.GetByTestId("order-submit")).ToHaveTextAsync("Place BUY order");
        await page.GetByTestId("order-submit").ClickAsync();

        await Expect(page.GetByTestId("order-result")).ToContainTextAsync(new Regex(@"BUY 10 CEA.*TKT-\d{4}-\d+ · Open$"));
        var row = page.GetByTestId("mm-orders-table").Locator("tbody tr").Filter(new() { HasText = mm.Name });
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Open");
        await Expect(row).ToContainTextAsync("BUY");
        await Expect(page.GetByTestId("order-mm-available")).ToContainTextAsync(Price(10_000m - price * 10));
        await BrowserFixture.ScreenshotAsync(page, "market-orders-mm-buy");

        // Leave the shared book as it was.
        var queries = browser.Services.GetRequiredService<OrderQueries>();
        var order = Assert.Single((await queries.ListOrdersAsync(mm.Id, OrderStatus.Open, Core.PageRequest.Of(10, 0))).Items);
        Assert.Equal("BUY", order.Side);
        await using var scope = browser.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrderService>().CancelMarketMakerOrderAsync(order.Id);
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync(decimal eur)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(new CreateMarketMakerRequest(
            $"Browser Bidder {suffix}", $"browser-bidder-{suffix}@test.local", null, new Dictionary<string, decimal> { ["EUR"] = eur }));
        return created.Value;
    }

    /// <summary>A price strictly inside the shared CEA book's spread: the bid rests without trading.</summary>
    private async Task<decimal> FreePriceAsync()
    {
        var book = await browser.Services.GetRequiredService<OrderQueries>().GetBookAsync(CertificateType.Cea);
        var low = book.BestBid ?? 0m;
        var high = book.BestAsk ?? low + 200m;
        Assert.True(high - low >= 0.03m, $"The shared CEA book is too tight ({low}/{high}).");
        return Math.Max(low + 0.01m, Math.Min(high - 0.01m, low + (Random.Shared.Next(1, 5000) / 100m)));
    }

    private static string Price(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Eur(decimal value) => "€ " + Price(value);
}
