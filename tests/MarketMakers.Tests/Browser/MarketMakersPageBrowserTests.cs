using MarketMakers.Core.Ledger;
using System.Text.RegularExpressions;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The Market Makers page driven in Chromium against the real app, database and Redis.</summary>
public sealed class MarketMakersPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_creates_a_funded_MM_deposits_and_sees_a_refused_withdrawal_with_its_failed_ticket()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(page.GetByTestId("page-market-makers")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("mm-grid")).ToBeVisibleAsync();

        // Create through the dialog with initial balances.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"Nordic Carbon Liquidity {suffix}";
        await page.GetByTestId("mm-create").ClickAsync();
        var dialog = page.GetByTestId("mm-create-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("mm-name").FillAsync(name);
        await page.GetByTestId("mm-email").FillAsync($"desk-{suffix}@nordic-carbon.test");
        await page.GetByTestId("mm-description").FillAsync("Two-way quotes in CEA and EUA.");
        await page.GetByTestId("mm-initial-cea").FillAsync("1000");
        await page.GetByTestId("mm-initial-eua").FillAsync("500");
        await page.GetByTestId("mm-initial-eur").FillAsync("250000.50");
        await BrowserFixture.ScreenshotAsync(page, "mm-create-dialog");
        await page.GetByTestId("mm-create-submit").ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        var snackbars = page.Locator(".mud-snackbar");
        await Expect(snackbars.Filter(new() { HasText = $"Market Maker {name} created" })).ToContainTextAsync("TKT-");

        // It is in the server-paged grid with its balances; search narrows the grid to it.
        await page.GetByTestId("mm-search").FillAsync(suffix);
        await Expect(page.GetByTestId("mm-link")).ToHaveCountAsync(1);
        var row = page.GetByTestId("mm-grid").Locator("tbody tr").Filter(new() { HasText = name });
        await Expect(row.GetByTestId("mm-row-email")).ToHaveTextAsync($"desk-{suffix}@nordic-carbon.test");
        await Expect(row.GetByTestId("balance-cea")).ToContainTextAsync("1,000");
        await Expect(row.GetByTestId("balance-eur")).ToContainTextAsync("250,000.50");
        await Expect(row.GetByTestId("mm-status")).ToHaveTextAsync("Active");
        await BrowserFixture.ScreenshotAsync(page, "mm-list");

        // Detail view.
        await row.GetByTestId("mm-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/backoffice/market-makers/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("mm-detail")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("mm-detail-name")).ToHaveTextAsync(name);
        var cea = page.GetByTestId("balance-card-cea");
        await Expect(cea.GetByTestId("balance-available")).ToHaveTextAsync("1,000 CEA");
        await Expect(page.GetByTestId("history-grid").Locator("tbody tr")).ToHaveCountAsync(3);

        // Deposit 250 CEA.
        await page.GetByTestId("tx-amount").FillAsync("250");
        await page.GetByTestId("tx-notes").FillAsync("Top-up before the auction");
        await page.GetByTestId("tx-submit").ClickAsync();
        await Expect(page.GetByTestId("tx-result")).ToContainTextAsync("Deposit recorded · TKT-");
        var depositTicketId = Regex.Match(await page.GetByTestId("tx-result").InnerTextAsync(), @"TKT-\d{4}-\d+").Value;
        await Expect(cea.GetByTestId("balance-available")).ToHaveTextAsync("1,250 CEA");
        await Expect(page.GetByTestId("history-grid").Locator("tbody tr")).ToHaveCountAsync(4);
        await BrowserFixture.ScreenshotAsync(page, "mm-detail-deposit");

        // Withdrawing more than is shown as available is stopped before it reaches the service.
        var form = page.GetByTestId("tx-form");
        await form.GetByText("Withdraw", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("tx-amount").FillAsync("5000");
        await page.GetByTestId("tx-submit").ClickAsync();
        await Expect(form).ToContainTextAsync("Exceeds the available balance of 1,250 CEA.");
        await Expect(page.GetByTestId("tx-error")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "mm-withdraw-prevalidation");

        // Another admin withdraws meanwhile, so the page's 1,250 is stale: the service refuses with a FAILED ticket.
        var id = Guid.Parse(page.Url.Split('/')[^1]);
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<LedgerMovementService>();
            await service.TransactAsync(id, new LedgerTransactionRequest("CEA", "WITHDRAWAL", 1000m, "Desk transfer"));
        }

        await page.GetByTestId("tx-amount").FillAsync("1200");
        await page.GetByTestId("tx-submit").ClickAsync();
        var error = page.GetByTestId("tx-error");
        await Expect(error).ToContainTextAsync("Insufficient available CEA balance");
        await Expect(error).ToContainTextAsync("FAILED TKT-");
        await Expect(snackbars.Filter(new() { HasText = "Insufficient" })).ToContainTextAsync("TKT-");
        await Expect(cea.GetByTestId("balance-available")).ToHaveTextAsync("250 CEA");
        await BrowserFixture.ScreenshotAsync(page, "mm-withdraw-refused");

        var ticketId = Regex.Match(await error.InnerTextAsync(), @"TKT-\d{4}-\d+").Value;
        var ticket = await TicketAssert.LoadAsync(browser.Postgres, ticketId);
        Assert.Equal("FAILED", ticket.Status);
        Assert.Equal("ASSET_WITHDRAWAL", ticket.ActionType);

        // Page actions carry the context of the circuit's originating request, like API actions do.
        var deposit = await TicketAssert.LoadAsync(browser.Postgres, depositTicketId);
        Assert.Equal(("SUCCESS", "ASSET_DEPOSIT"), (deposit.Status, deposit.ActionType));
        foreach (var pageTicket in new[] { ticket, deposit })
        {
            Assert.Contains("127.0.0.1", pageTicket.IpAddress ?? "", StringComparison.Ordinal);
            Assert.Contains("Chrome", pageTicket.UserAgent ?? "", StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(pageTicket.SessionId), $"ticket {pageTicket.TicketId} has no session_id");
        }

        Assert.Equal(ticket.SessionId, deposit.SessionId);
    }

    [Fact]
    public async Task Admin_edits_an_MM_then_deactivates_it_after_confirming()
    {
        string name;
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
            name = $"Edit Desk {Guid.NewGuid():N}"[..18];
            await service.CreateAsync(new CreateMarketMakerRequest(name, $"{Guid.NewGuid():N}@edit.test", "before"));
        }

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(page.GetByTestId("page-market-makers")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("mm-search").FillAsync(name);
        await Expect(page.GetByTestId("mm-link")).ToHaveCountAsync(1);
        var row = page.GetByTestId("mm-grid").Locator("tbody tr").Filter(new() { HasText = name });

        await row.GetByTestId("mm-edit").ClickAsync();
        var dialog = page.GetByTestId("mm-edit-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("mm-edit-name").FillAsync(name + " Renamed");
        await page.GetByTestId("mm-edit-description").FillAsync("after");
        await page.GetByTestId("mm-edit-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "updated" })).ToContainTextAsync("TKT-");
        await Expect(row.GetByTestId("mm-link")).ToHaveTextAsync(name + " Renamed");

        await row.GetByTestId("mm-deactivate").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("Deactivate " + name + " Renamed");
        await BrowserFixture.ScreenshotAsync(page, "mm-deactivate-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "deactivated" })).ToContainTextAsync("TKT-");
        await Expect(row.GetByTestId("mm-status")).ToHaveTextAsync("Inactive");
        await Expect(row.GetByTestId("mm-deactivate")).ToBeDisabledAsync();
    }
}
