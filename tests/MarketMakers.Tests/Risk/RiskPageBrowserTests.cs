using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Risk;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// The browser app on a database of its own: these tests halt markets and tighten limits, which would refuse the
/// orders of every other test on the shared database.
/// </summary>
public sealed class RiskBrowserFixture() : OwnDatabaseBrowserFixture("riskui");

/// <summary>
/// The Risk page in Chromium: halting and resuming reach a client's open Cash Market page live, limits are edited in
/// a dialog with a ticket to show for it, a limit refusal reaches the client's form, and each staff role sees only
/// the controls it may use. Every wait is an auto-waiting assertion.
/// </summary>
public sealed class RiskPageBrowserTests(RiskBrowserFixture browser) : IClassFixture<RiskBrowserFixture>
{
    private const string ClientPassword = "Buyer-Passw0rd-2026";

    [Fact]
    public async Task An_admin_halts_CEA_on_the_risk_page_and_a_clients_open_cash_market_shows_it_live_until_the_resume()
    {
        var client = await CreateFundedClientAsync(eur: 100_000m);
        var risk = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, "/backoffice/risk", "page-risk");
        var market = await SignedInPageAsync(client.Email, ClientPassword, "/cash-market", "page-cash-market");
        await Expect(market.GetByTestId("order-book")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(market.GetByTestId("book-halted")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("order-submit")).ToBeEnabledAsync();

        var cea = Card(risk, "CEA");
        await Expect(cea.GetByTestId("market-state")).ToHaveTextAsync("OPEN");
        await cea.GetByTestId("market-halt").ClickAsync();
        var dialog = risk.GetByTestId("market-state-dialog");
        await risk.GetByTestId("market-state-submit").ClickAsync();
        await Expect(dialog).ToContainTextAsync("A reason is required.");
        await risk.GetByTestId("market-reason-input").FillAsync("Bad price feed from the venue");
        await risk.GetByTestId("market-state-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(risk.Locator(".mud-snackbar").Filter(new() { HasText = "CEA market halted" })).ToContainTextAsync("TKT-");
        await Expect(cea.GetByTestId("market-state")).ToHaveTextAsync("HALTED");
        await Expect(cea.GetByTestId("market-reason")).ToContainTextAsync("Bad price feed from the venue");
        await Expect(cea.GetByTestId("market-halt")).ToBeDisabledAsync();
        await Expect(Card(risk, "EUA").GetByTestId("market-state")).ToHaveTextAsync("OPEN");
        var newest = risk.GetByTestId("risk-tickets").Locator("tbody tr").First;
        await Expect(newest.GetByTestId("risk-ticket-action")).ToHaveTextAsync("MARKET_HALTED");
        await Expect(newest.GetByTestId("risk-ticket-detail")).ToHaveTextAsync("Bad price feed from the venue");

        // The client's page, never reloaded, shows the halt on the CEA book and its form says why it cannot submit.
        await Expect(market.GetByTestId("book-halted")).ToContainTextAsync("Reason: Bad price feed from the venue");
        await Expect(market.GetByTestId("book-halted-chip")).ToHaveTextAsync("HALTED");
        await Expect(market.GetByTestId("order-halted")).ToContainTextAsync("The CEA market is HALTED: new orders are refused until it resumes.");
        await market.GetByTestId("order-price").FillAsync("70.00");
        await market.GetByTestId("order-quantity").FillAsync("10");
        await Expect(market.GetByTestId("order-submit")).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(risk, "risk-page");
        await BrowserFixture.ScreenshotAsync(market, "risk-cash-market-halted");

        // The EUA book stays open: its tab takes orders.
        await market.GetByTestId("order-certificate").GetByText("EUA", new() { Exact = true }).ClickAsync();
        await Expect(market.GetByTestId("order-halted")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("order-submit")).ToBeEnabledAsync();
        await market.GetByTestId("order-certificate").GetByText("CEA", new() { Exact = true }).ClickAsync();
        await Expect(market.GetByTestId("order-submit")).ToBeDisabledAsync();

        await cea.GetByTestId("market-resume").ClickAsync();
        await risk.GetByTestId("market-reason-input").FillAsync("Feed fixed, prices checked");
        await risk.GetByTestId("market-state-submit").ClickAsync();
        await Expect(risk.GetByTestId("market-state-dialog")).ToBeHiddenAsync();
        await Expect(cea.GetByTestId("market-state")).ToHaveTextAsync("OPEN");
        await Expect(newest.GetByTestId("risk-ticket-action")).ToHaveTextAsync("MARKET_RESUMED");

        await Expect(market.GetByTestId("book-halted")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("book-halted-chip")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("order-halted")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("order-submit")).ToBeEnabledAsync();
        await market.GetByTestId("order-submit").ClickAsync();
        await Expect(market.GetByTestId("order-result")).ToContainTextAsync("BUY 10 CEA @ 70.00 placed · TKT-");
        await Orders.Market.AssertReconciledAsync(browser.Services);
    }

    [Fact]
    public async Task Limits_edited_in_the_dialog_show_on_the_card_and_their_RISK_LIMITS_CHANGED_ticket_opens_from_the_list()
    {
        var risk = await SignedInPageAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword, "/backoffice/risk", "page-risk");
        var eua = Card(risk, "EUA");
        await eua.GetByTestId("market-edit-limits").ClickAsync();
        var dialog = risk.GetByTestId("limits-dialog");
        await risk.GetByTestId("limits-collar-pct").FillAsync("0");
        await Expect(dialog).ToContainTextAsync("price_collar_pct must be greater than 0 and at most 100, with at most 2 decimals.");
        await risk.GetByTestId("limits-collar-pct").FillAsync("5");
        await risk.GetByTestId("limits-reference").FillAsync("80.00");
        await risk.GetByTestId("limits-max-quantity").FillAsync("5000");
        await risk.GetByTestId("limits-max-notional").FillAsync("250000.00");
        await risk.GetByTestId("limits-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(risk.Locator(".mud-snackbar").Filter(new() { HasText = "EUA limits changed" })).ToContainTextAsync("TKT-");

        await Expect(eua.GetByTestId("market-collar-pct")).ToHaveTextAsync("± 5 %");
        await Expect(eua.GetByTestId("market-reference")).ToHaveTextAsync("80.00");
        await Expect(eua.GetByTestId("market-collar")).ToHaveTextAsync("76.00 – 84.00 (around the reference)");
        await Expect(eua.GetByTestId("market-max-quantity")).ToHaveTextAsync("5,000");
        await Expect(eua.GetByTestId("market-max-notional")).ToHaveTextAsync("€ 250,000.00");

        var newest = risk.GetByTestId("risk-tickets").Locator("tbody tr").First;
        await Expect(newest.GetByTestId("risk-ticket-action")).ToHaveTextAsync("RISK_LIMITS_CHANGED");
        await Expect(newest).ToContainTextAsync("EUA");
        var ticketId = await newest.GetByTestId("risk-ticket-id").TextContentAsync();
        await newest.ClickAsync();
        await Expect(risk.GetByTestId("ticket-dialog-id")).ToHaveTextAsync(ticketId!);
        await Expect(risk.GetByTestId("json-after")).ToContainTextAsync("250000");
    }

    [Fact]
    public async Task A_client_order_one_tick_beyond_the_collar_shows_the_422_detail_and_changes_nothing()
    {
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MarketService>().SetLimitsAsync(SetRiskLimits.Parse("CEA", 10m, 70.00m, 100_000m, 10_000_000m));
        }

        var client = await CreateFundedClientAsync(eur: 100_000m);
        var market = await SignedInPageAsync(client.Email, ClientPassword, "/cash-market", "page-cash-market");
        await Expect(market.GetByTestId("order-limits")).ToContainTextAsync("Price 63.00 – 77.00");
        await market.GetByTestId("order-price").FillAsync("77.01");
        await market.GetByTestId("order-quantity").FillAsync("10");
        await market.GetByTestId("order-submit").ClickAsync();

        await Expect(market.GetByTestId("order-error")).ToContainTextAsync(
            "Price 77.01 is outside the price collar: allowed 63.00 to 77.00 (±10 % of the reference price 70.00).");
        await Expect(market.GetByTestId("order-error")).ToContainTextAsync("FAILED TKT-");
        await Expect(market.GetByTestId("book-ladder").Locator("tr[data-price='77.01']")).ToHaveCountAsync(0);
        await Expect(market.GetByTestId("balance-eur").GetByTestId("balance-available")).ToHaveTextAsync("€ 100,000.00");
        await Expect(market.GetByTestId("balance-eur").GetByTestId("balance-locked")).ToHaveTextAsync("0.00");
        await Expect(market.GetByTestId("my-orders-table")).ToContainTextAsync("No orders.");

        // Exactly at the collar's edge the same order rests.
        await market.GetByTestId("order-price").FillAsync("77.00");
        await market.GetByTestId("order-submit").ClickAsync();
        await Expect(market.GetByTestId("order-result")).ToContainTextAsync("BUY 10 CEA @ 77.00 placed · TKT-");
        await Expect(market.GetByTestId("balance-eur").GetByTestId("balance-locked")).ToHaveTextAsync("770.00");
        await Orders.Market.AssertReconciledAsync(browser.Services);
    }

    [Fact]
    public async Task An_operator_may_halt_but_not_resume_or_edit_limits_and_an_auditor_only_reads()
    {
        var operatorUser = await browser.CreateUserAsync(Roles.Operator);
        var desk = await SignedInPageAsync(operatorUser.Email!, UserFactory.DefaultPassword, "/backoffice/risk", "page-risk");
        await Expect(desk.GetByTestId("nav-risk")).ToBeVisibleAsync();
        await Expect(desk.GetByTestId("market-card")).ToHaveCountAsync(2);
        await Expect(desk.GetByTestId("market-halt")).ToHaveCountAsync(2);
        await Expect(desk.GetByTestId("market-resume")).ToHaveCountAsync(0);
        await Expect(desk.GetByTestId("market-edit-limits")).ToHaveCountAsync(0);

        var auditor = await browser.CreateUserAsync(Roles.Auditor);
        var reader = await SignedInPageAsync(auditor.Email!, UserFactory.DefaultPassword, "/backoffice/risk", "page-risk");
        await Expect(reader.GetByTestId("market-card")).ToHaveCountAsync(2);
        await Expect(reader.GetByTestId("market-max-quantity")).ToHaveCountAsync(2);
        await Expect(reader.GetByTestId("risk-tickets")).ToBeVisibleAsync();
        await Expect(reader.GetByTestId("market-halt")).ToHaveCountAsync(0);
        await Expect(reader.GetByTestId("market-resume")).ToHaveCountAsync(0);
        await Expect(reader.GetByTestId("market-edit-limits")).ToHaveCountAsync(0);
    }

    private static ILocator Card(IPage page, string certificate) => page.Locator($"[data-testid=market-card][data-certificate={certificate}]");

    private async Task<IPage> SignedInPageAsync(string email, string password, string path, string pageTestId)
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, email, password);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        await Expect(page.GetByTestId(pageTestId)).ToHaveAttributeAsync("data-interactive", "true");
        return page;
    }

    private async Task<ClientUserView> CreateFundedClientAsync(decimal eur)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateUserAsync(new CreateClientUserRequest(
            $"risk-{suffix}@test.local", ClientPassword, "Ines", "Vale", Roles.Funded, $"Tagus Cement {suffix}"));
        await scope.ServiceProvider.GetRequiredService<LedgerMovementService>().FundAsync(created.Value.Id, "EUR", eur, notes: "Risk test funding");
        return created.Value;
    }
}
