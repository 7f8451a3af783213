using MarketMakers.Core.Ledger;
using System.Globalization;
using System.Text.RegularExpressions;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>
/// The Market Orders and Cash Market pages in Chromium against the real app, database and Redis. Books update over the
/// SignalR circuit when the notifier announces a commit; every wait here is an auto-waiting assertion.
/// </summary>
public sealed class MarketBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClientPassword = "Buyer-Passw0rd-2026";

    [Fact]
    public async Task Live_update_an_order_placed_in_one_browser_shows_in_the_other_browsers_book_without_a_reload()
    {
        var mm = await CreateMarketMakerAsync(cea: 0, eua: 1000);
        var price = await FreeAskPriceAsync("EUA");
        var key = Key(price);

        // Browser 1 watches the EUA book on the Cash Market page.
        var watcher = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, "/cash-market", "page-cash-market");
        await watcher.GetByRole(AriaRole.Tab, new() { Name = "EUA", Exact = true }).ClickAsync();
        await Expect(watcher.GetByTestId("book-ladder")).ToHaveAttributeAsync("data-certificate", "EUA");
        var watched = watcher.GetByTestId("book-ladder").Locator($"tr[data-price='{key}']");
        await Expect(watched).ToHaveCountAsync(0);

        // Browser 2 places a Market Maker SELL on the Market Orders page.
        var trader = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, $"/backoffice/market-orders?mm={mm.Id}", "page-market-orders");
        await trader.GetByTestId("order-certificate").GetByText("EUA", new() { Exact = true }).ClickAsync();
        await Expect(trader.GetByTestId("order-mm-available")).ToContainTextAsync("1,000 EUA");
        await trader.GetByTestId("order-price").FillAsync(key);
        await trader.GetByTestId("order-quantity").FillAsync("250");
        await trader.GetByTestId("order-submit").ClickAsync();
        await Expect(trader.GetByTestId("order-result")).ToContainTextAsync("TKT-");

        // Browser 1 shows it without a reload.
        await Expect(watched).ToHaveCountAsync(1);
        await Expect(watched.GetByTestId("level-quantity")).ToHaveTextAsync("250");
        await BrowserFixture.ScreenshotAsync(watcher, "market-live-watcher");
        await BrowserFixture.ScreenshotAsync(trader, "market-live-trader");

        // A change made through the service (an admin cancel elsewhere) reaches both open pages too.
        var order = Assert.Single((await Queries.ListOrdersAsync(mm.Id, OrderStatus.Open, Core.PageRequest.Of(10, 0))).Items);
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrderService>().CancelMarketMakerOrderAsync(order.Id);
        }

        await Expect(watched).ToHaveCountAsync(0);
        await Expect(trader.GetByTestId("book-ladder").Locator($"tr[data-price='{key}']")).ToHaveCountAsync(0);
        await Expect(trader.GetByTestId("mm-orders-table").Locator("tr").Filter(new() { HasText = mm.Name }).GetByTestId("order-status"))
            .ToHaveTextAsync("Cancelled");
    }

    [Fact]
    public async Task An_MM_order_rests_in_the_book_a_funded_client_buys_against_it_and_both_pages_show_the_trade()
    {
        var mm = await CreateMarketMakerAsync(cea: 1000, eua: 0);
        var buyer = await CreateFundedClientAsync(eur: 100_000m);
        var price = await FreeAskPriceAsync("CEA");
        var key = Key(price);

        // The admin places SELL 300 for the MM and watches it rest.
        var admin = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, $"/backoffice/market-orders?mm={mm.Id}", "page-market-orders");
        await Expect(admin.GetByTestId("order-mm-available")).ToContainTextAsync("1,000 CEA");
        await admin.GetByTestId("order-price").FillAsync(key);
        await admin.GetByTestId("order-quantity").FillAsync("300");
        await Expect(admin.GetByTestId("order-total")).ToContainTextAsync(Eur(price * 300));
        await admin.GetByTestId("order-submit").ClickAsync();
        await Expect(admin.GetByTestId("order-result")).ToContainTextAsync(new Regex(@"TKT-\d{4}-\d+ · Open$"));
        await Expect(admin.Locator(".mud-snackbar").Filter(new() { HasText = $"placed for {mm.Name}" })).ToContainTextAsync("TKT-");
        var adminLevel = admin.GetByTestId("book-ladder").Locator($"tr[data-price='{key}']");
        await Expect(adminLevel.GetByTestId("level-quantity")).ToHaveTextAsync("300");
        var mmRow = admin.GetByTestId("mm-orders-table").Locator("tbody tr").Filter(new() { HasText = mm.Name });
        await Expect(mmRow.GetByTestId("order-status")).ToHaveTextAsync("Open");
        await Expect(admin.GetByTestId("order-mm-available")).ToContainTextAsync("700 CEA");
        await BrowserFixture.ScreenshotAsync(admin, "market-orders-resting");

        // The funded client sees it and buys 200 at that price from the Cash Market page.
        var client = await SignedInPageAsync(buyer.Email, ClientPassword, "/cash-market", "page-cash-market");
        await Expect(client.GetByTestId("cash-role")).ToHaveTextAsync("FUNDED");
        await Expect(client.GetByTestId("book-ladder").Locator($"tr[data-price='{key}']").GetByTestId("level-quantity")).ToHaveTextAsync("300");
        await Expect(client.GetByTestId("balance-eur").GetByTestId("balance-available")).ToHaveTextAsync("€ 100,000.00");
        await client.GetByTestId("order-price").FillAsync(key);
        await client.GetByTestId("order-quantity").FillAsync("200");
        await client.GetByTestId("order-submit").ClickAsync();
        await Expect(client.GetByTestId("order-result")).ToContainTextAsync("filled 200 in 1 trade(s) · Filled");
        var myTrade = client.GetByTestId("cash-trades").Locator("tbody tr").First;
        await Expect(myTrade.GetByTestId("trade-price")).ToHaveTextAsync(Price(price));
        await Expect(myTrade.GetByTestId("trade-quantity")).ToHaveTextAsync("200");
        await Expect(client.GetByTestId("balance-cea").GetByTestId("balance-available")).ToHaveTextAsync("200 CEA");
        await Expect(client.GetByTestId("balance-eur").GetByTestId("balance-available")).ToHaveTextAsync("€ " + Price(100_000m - price * 200));
        await Expect(client.GetByTestId("my-orders-table").Locator("tbody tr").First.GetByTestId("order-status")).ToHaveTextAsync("Filled");
        await BrowserFixture.ScreenshotAsync(client, "market-cash-market-bought");

        // The admin's page, never reloaded, shows the trade: the level shrank, the MM order is partially filled.
        await Expect(adminLevel.GetByTestId("level-quantity")).ToHaveTextAsync("100");
        await Expect(mmRow.GetByTestId("order-status")).ToHaveTextAsync("Partially filled");
        await Expect(mmRow.GetByTestId("order-filled")).ToHaveTextAsync("200");
        await Expect(admin.GetByTestId("market-trades").Locator("tbody tr").Filter(new() { HasText = Price(price) }).First).ToContainTextAsync("200");
        await BrowserFixture.ScreenshotAsync(admin, "market-orders-after-trade");
    }

    private OrderQueries Queries => browser.Services.GetRequiredService<OrderQueries>();

    private async Task<IPage> SignedInPageAsync(string email, string password, string path, string pageTestId)
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, email, password);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        await Expect(page.GetByTestId(pageTestId)).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("order-book")).ToHaveAttributeAsync("data-loaded", "true");
        return page;
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync(decimal cea, decimal eua)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(new CreateMarketMakerRequest(
            $"Browser Desk {suffix}", $"browser-desk-{suffix}@test.local", null,
            new Dictionary<string, decimal> { ["CEA"] = cea, ["EUA"] = eua }));
        return created.Value;
    }

    private async Task<ClientUserView> CreateFundedClientAsync(decimal eur)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await clients.CreateUserAsync(new CreateClientUserRequest(
            $"buyer-{suffix}@test.local", ClientPassword, "Hanna", "Berg", Roles.Funded, $"Fjord Steel {suffix}"));
        await scope.ServiceProvider.GetRequiredService<LedgerMovementService>().FundAsync(created.Value.Id, "EUR", eur, notes: "Browser test funding");
        return created.Value;
    }

    /// <summary>
    /// A price inside the current spread of the shared test database's book, so a new ask there neither crosses a
    /// resting bid nor sits behind a cheaper ask of another test.
    /// </summary>
    private async Task<decimal> FreeAskPriceAsync(string certificateType)
    {
        var book = await Queries.GetBookAsync(CertificateType.Parse(certificateType));
        var low = book.BestBid ?? 0m;
        var high = book.BestAsk ?? low + 200m;
        Assert.True(high - low >= 0.03m, $"The shared {certificateType} book is too tight ({low}/{high}) to place a fresh best ask.");
        var offset = Random.Shared.Next(1, (int)Math.Min(5000, (high - low) * 100) - 1) / 100m;
        return Math.Max(low + 0.01m, Math.Min(high - 0.01m, low + offset));
    }

    private static string Key(decimal price) => price.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Price(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Eur(decimal value) => "€ " + Price(value);
}
