using System.Globalization;
using System.Text.RegularExpressions;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The ladder editor's browser app on a database of its own: its quotes never meet another class's orders.</summary>
public sealed class LadderBrowserFixture() : OwnDatabaseBrowserFixture("ladderui");

/// <summary>Issue 17 "a ladder editor on the Market Orders page": generate, preview, replace, then pull, in Chromium.</summary>
public sealed class LadderEditorBrowserTests(LadderBrowserFixture browser) : IClassFixture<LadderBrowserFixture>
{
    [Fact]
    public async Task The_desk_generates_a_ladder_previews_what_it_locks_replaces_and_pulls_it()
    {
        var mm = await CreateMarketMakerAsync();
        var mid = await FreeMidAsync();
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync($"/backoffice/market-orders?mm={mm.Id}");
        await Expect(page.GetByTestId("page-market-orders")).ToHaveAttributeAsync("data-interactive", "true");

        var editor = page.GetByTestId("ladder-editor");
        await editor.Locator("#ladder-mid").FillAsync(Text(mid));
        await editor.Locator("#ladder-step").FillAsync("0.01");
        await editor.Locator("#ladder-size").FillAsync("10");
        await editor.Locator("#ladder-levels").FillAsync("2");
        await editor.GetByTestId("ladder-generate").ClickAsync();

        // Bids mid−0.01, mid−0.02 and asks mid+0.01, mid+0.02, 10 each: spread 0.02, 20 certificates and Σ bid × 10 EUR.
        await Expect(editor.GetByTestId("ladder-bids-row")).ToHaveCountAsync(2);
        await Expect(editor.GetByTestId("ladder-asks-row")).ToHaveCountAsync(2);
        await Expect(editor.GetByTestId("ladder-spread")).ToHaveTextAsync("0.02");
        await Expect(editor.GetByTestId("ladder-eur")).ToHaveTextAsync("€ " + Money((mid - 0.01m + mid - 0.02m) * 10));
        await Expect(editor.GetByTestId("ladder-certificates")).ToHaveTextAsync("20");
        await Expect(editor.GetByTestId("ladder-available")).ToContainTextAsync("€ 10,000.00 · 100 CEA");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, "ladder-editor");

        await editor.GetByTestId("ladder-replace").ClickAsync();
        await Expect(editor.GetByTestId("ladder-result")).ToContainTextAsync(new Regex(@"^4 orders placed, 0 cancelled for .* · TKT-\d{4}-\d+$"));
        var rows = page.GetByTestId("mm-orders-table").Locator("tbody tr").Filter(new() { HasText = mm.Name });
        await Expect(rows).ToHaveCountAsync(4);

        await editor.GetByTestId("ladder-pull").ClickAsync();
        await Expect(editor.GetByTestId("ladder-result")).ToContainTextAsync(new Regex(@"^0 orders placed, 4 cancelled"));
        var queries = browser.Services.GetRequiredService<OrderQueries>();
        Assert.Empty((await queries.ListOrdersAsync(mm.Id, OrderStatus.Open, Core.PageRequest.Of(10, 0))).Items);
    }

    [Fact]
    public async Task A_ladder_that_crosses_itself_is_refused_with_the_level_named()
    {
        var mm = await CreateMarketMakerAsync();
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync($"/backoffice/market-orders?mm={mm.Id}");
        await Expect(page.GetByTestId("page-market-orders")).ToHaveAttributeAsync("data-interactive", "true");

        var editor = page.GetByTestId("ladder-editor");
        await editor.GetByTestId("ladder-bids-add").ClickAsync();
        await editor.GetByTestId("ladder-asks-add").ClickAsync();
        await editor.Locator("#ladder-bids-0-price").FillAsync("50.00");
        await editor.Locator("#ladder-bids-0-quantity").FillAsync("1");
        await editor.Locator("#ladder-asks-0-price").FillAsync("49.00");
        await editor.Locator("#ladder-asks-0-quantity").FillAsync("1");
        await editor.GetByTestId("ladder-replace").ClickAsync();

        await Expect(editor.GetByTestId("ladder-error")).ToContainTextAsync(new Regex(@"^bids\[0\]: the bid 50.00 is at or above the ladder.s own ask asks\[0\] 49.00; a ladder must not cross itself\.$"));
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync()
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(new CreateMarketMakerRequest(
            $"Ladder Desk {suffix}", $"ladder-{suffix}@test.local", null, new Dictionary<string, decimal> { ["EUR"] = 10_000m, ["CEA"] = 100m }));
        return created.Value;
    }

    /// <summary>A mid with 3 free ticks either side inside the shared CEA book's spread: the ladder rests without trading.</summary>
    private async Task<decimal> FreeMidAsync()
    {
        var book = await browser.Services.GetRequiredService<OrderQueries>().GetBookAsync(CertificateType.Cea);
        var low = book.BestBid ?? 10m;
        var high = book.BestAsk ?? low + 200m;
        Assert.True(high - low >= 0.08m, $"The shared CEA book is too tight ({low}/{high}).");
        return decimal.Round((low + high) / 2, 2);
    }

    private static string Text(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);
}
