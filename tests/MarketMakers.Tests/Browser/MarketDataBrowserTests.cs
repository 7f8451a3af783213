using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The market-data browser tests' own database: the chart's figures are exactly this class's trades.</summary>
public sealed class MarketDataBrowserFixture() : OwnDatabaseBrowserFixture("mdataui");

/// <summary>
/// Issue 17 "market data for people" in Chromium: the price chart and the live trade tape follow the instrument tabs,
/// and a trade made in the background (through the order service, as another instance or the API would) appears on
/// the open Cash Market page's tape without a reload, pushed by the order-book notifier. Auto-waiting assertions only.
/// </summary>
public sealed class MarketDataBrowserTests(MarketDataBrowserFixture browser) : IClassFixture<MarketDataBrowserFixture>
{
    [Fact]
    public async Task A_trade_made_in_the_background_appears_on_the_open_cash_market_tape_live()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync("/cash-market");
        await Expect(page.GetByTestId("page-cash-market")).ToHaveAttributeAsync("data-interactive", "true");
        var tape = page.GetByTestId("trade-tape");
        var chart = page.GetByTestId("price-chart");
        await Expect(tape).ToHaveAttributeAsync("data-loaded", "true");

        // Both follow the book's instrument tab, and the chart switches its candle width.
        await page.GetByRole(AriaRole.Tab, new() { Name = "EUA", Exact = true }).ClickAsync();
        await Expect(tape).ToHaveAttributeAsync("data-certificate", "EUA");
        await Expect(chart).ToHaveAttributeAsync("data-certificate", "EUA");
        await Expect(tape).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(tape.GetByTestId("tape-empty")).ToHaveTextAsync("No EUA trades yet.");
        await chart.GetByTestId("price-chart-bucket").GetByText("1h", new() { Exact = true }).ClickAsync();
        await Expect(chart).ToHaveAttributeAsync("data-bucket", "1h");
        await Expect(chart.GetByTestId("price-chart-summary")).ToHaveTextAsync("EUA, 48 one-hour candles: no trades yet.");
        var updates = await tape.GetAttributeAsync("data-updates");

        var trade = await TradeInTheBackgroundAsync("EUA", 7);

        // The page was never reloaded: the print arrives over the circuit.
        var row = tape.Locator($"tr[data-trade-id='{trade.Id}']");
        await Expect(row.GetByTestId("tape-price")).ToHaveTextAsync(trade.Price.ToString("#,0.00", CultureInfo.InvariantCulture));
        await Expect(tape.GetByTestId("tape-row")).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("tape-quantity")).ToHaveTextAsync("7");
        await Expect(row).ToHaveAttributeAsync("data-side", "BUY");
        await Expect(tape).Not.ToHaveAttributeAsync("data-updates", updates!);
        var price = trade.Price.ToString("#,0.00", CultureInfo.InvariantCulture);
        await Expect(chart.GetByTestId("price-chart-summary"))
            .ToHaveTextAsync($"EUA, 48 one-hour candles: last {price}, high {price}, low {price}, volume 7 in 1 trade.");
        await BrowserFixture.ScreenshotAsync(page, "market-data-cash-market");

        // The Market Orders page shows the same tape and chart.
        await page.GotoAsync("/backoffice/market-orders");
        await Expect(page.GetByTestId("page-market-orders")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByRole(AriaRole.Tab, new() { Name = "EUA", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("trade-tape").Locator($"tr[data-trade-id='{trade.Id}']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("price-chart")).ToHaveAttributeAsync("data-loaded", "true");
        await BrowserFixture.ScreenshotAsync(page, "market-data-market-orders");
    }

    /// <summary>
    /// An MM offers inside the current spread and a funded client lifts it whole, so the trade is between these two
    /// and nothing is left resting.
    /// </summary>
    private async Task<TradeView> TradeInTheBackgroundAsync(string certificateType, long quantity)
    {
        var services = browser.Services;
        var book = await services.GetRequiredService<OrderQueries>().GetBookAsync(MarketMakers.Core.Values.CertificateType.Parse(certificateType));
        var low = book.BestBid ?? 0m;
        var high = book.BestAsk ?? low + 100m;
        Assert.True(high - low >= 0.02m, $"The {certificateType} book is too tight ({low}/{high}) for a fresh best ask.");
        var price = Math.Round((low + high) / 2m, 2, MidpointRounding.ToZero);
        var mm = await Market.CreateMarketMakerAsync(services, new Dictionary<string, decimal> { [certificateType] = quantity });
        var (client, _) = await Market.CreateTraderAsync(services, new Dictionary<string, decimal> { ["EUR"] = price * quantity });
        await Market.WithAsync<OrderService, object>(services, async s =>
            await s.PlaceMarketMakerOrderAsync(mm, Market.Order(certificateType, "SELL", price, quantity)));
        var bought = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(services, s =>
            s.PlaceClientOrderAsync(client, Market.Order(certificateType, "BUY", price, quantity)));
        return Assert.Single(bought.Value.Trades);
    }
}
