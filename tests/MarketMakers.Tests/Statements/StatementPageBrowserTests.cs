using System.Text.RegularExpressions;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Statements;

/// <summary>Issue 17 "A printable statement view": from MM detail to its statement, whose lines add up.</summary>
public sealed class StatementPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_statement_page_shows_opening_every_movement_with_its_ticket_and_the_closing_balance()
    {
        Guid mm;
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
            var suffix = Guid.NewGuid().ToString("N")[..8];
            mm = (await service.CreateAsync(CreateMarketMaker.Parse($"Statement MM {suffix}", $"st-{suffix}@test.local", null,
                new Dictionary<string, decimal> { ["EUR"] = 1250.50m, ["CEA"] = 40m }))).Value.Id;
        }

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.GotoAsync($"/backoffice/market-makers/{mm}");
        await Expect(page.GetByTestId("mm-detail")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("mm-detail-statement").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/backoffice/market-makers/{mm}/statement$"));
        var statement = page.GetByTestId("statement");
        await Expect(statement.GetByTestId("statement-opening")).ToContainTextAsync("0.00");
        await Expect(statement.GetByTestId("statement-row")).ToHaveCountAsync(1);
        await Expect(statement.GetByTestId("statement-row").First).ToContainTextAsync("TKT-");
        await Expect(statement.GetByTestId("statement-closing")).ToContainTextAsync("1,250.50");
        await BrowserFixture.ScreenshotAsync(page, "statement");
    }
}
