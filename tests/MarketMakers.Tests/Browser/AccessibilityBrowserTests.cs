using MarketMakers.Core.Ledger;
using MarketMakers.Core.Obligations;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>
/// The app on a database of its own with one of everything a page can show: a Market Maker with an obligation, resting
/// orders and a trade, a FUNDED client with balances and an open order. Seeding it here keeps the shared books clean.
/// </summary>
public sealed class AccessibilityBrowserFixture() : OwnDatabaseBrowserFixture("a11y")
{
    public Guid MarketMaker { get; private set; }

    public string ClientEmail { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        MarketMaker = await Market.CreateMarketMakerAsync(Services, new Dictionary<string, decimal>
        {
            ["EUR"] = 50_000m, ["CEA"] = 500m, ["EUA"] = 500m,
        });
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ObligationService>()
                .SetAsync(SetObligation.Parse(MarketMaker.ToString(), "CEA", 1.00m, 10, 50, true));
        }

        // A staff member with an enrolled authenticator, so the staff grid's "Reset 2FA" opens its dialog.
        var enrolled = await CreateUserAsync(MarketMakers.Core.Identity.Roles.Operator);
        await TestDatabase.ExecuteAsync(Postgres, $"UPDATE users SET two_factor_enabled = true WHERE id = '{enrolled.Id}'");

        var (client, _) = await Market.CreateTraderAsync(Services, new Dictionary<string, decimal> { ["EUR"] = 10_000m, ["CEA"] = 20m });
        ClientEmail = await TestDatabase.ScalarAsync<string>(Postgres, "SELECT email FROM users WHERE id = @p0", client);
        await Market.WithAsync<OrderService, object>(Services, async s => await s.PlaceMarketMakerOrderAsync(MarketMaker, Market.Order("CEA", "SELL", 50.00m, 100)));
        await Market.WithAsync<OrderService, object>(Services, async s => await s.PlaceMarketMakerOrderAsync(MarketMaker, Market.Order("CEA", "BUY", 48.00m, 100)));
        await Market.WithAsync<OrderService, object>(Services, async s => await s.PlaceClientOrderAsync(client, Market.Order("CEA", "BUY", 50.00m, 5)));
        await Market.WithAsync<OrderService, object>(Services, async s => await s.PlaceClientOrderAsync(client, Market.Order("CEA", "SELL", 55.00m, 5)));
    }
}

/// <summary>
/// Issue 18: axe-core (WCAG 2.0/2.1 A + AA) finds no serious or critical violation on any page, with its dialogs
/// open, as the admin and as a FUNDED client; and no page logs a console error or loads a 4xx/5xx resource.
/// One browser context per role, one page walked through every view.
/// </summary>
public sealed class AccessibilityBrowserTests(AccessibilityBrowserFixture app, ITestOutputHelper output) : IClassFixture<AccessibilityBrowserFixture>
{
    [Fact]
    public async Task Sign_in_two_factor_code_and_error_pages_have_no_serious_or_critical_violation()
    {
        var a11y = new AccessibilityScanner(await app.NewPageAsync(), "anonymous");
        await a11y.WalkAsync(async () =>
        {
            await OpenAsync(a11y, "/login", "sign-in", a11y.Page.GetByTestId("login-form"));
            await OpenAsync(a11y, "/login/code", "two-factor code", a11y.Page.GetByTestId("code-form"));
            await OpenAsync(a11y, "/error", "error", a11y.Page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" }));
        }, output);
    }

    [Fact]
    public async Task Every_back_office_page_and_dialog_is_clean_for_the_admin()
    {
        var page = await app.NewPageAsync();
        var a11y = new AccessibilityScanner(page, "ADMIN");
        await a11y.WalkAsync(async () =>
        {
            a11y.Visit("home → market makers");
            await app.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
            await Interactive(page, "page-market-makers");
            await Expect(page.GetByTestId("mm-link").First).ToBeVisibleAsync();
            await a11y.ScanAsync("market makers grid");
            await DialogAsync(a11y, "create MM dialog", page.GetByTestId("mm-create"));
            await DialogAsync(a11y, "edit MM dialog", page.GetByTestId("mm-edit").First);

            var mm = $"/backoffice/market-makers/{app.MarketMaker}";
            await OpenAsync(a11y, mm, "MM detail overview", page.GetByTestId("mm-detail"), interactive: true);
            await DialogAsync(a11y, "MM detail edit dialog", page.GetByTestId("mm-detail-edit"));
            await OpenAsync(a11y, mm + "?tab=compliance", "MM compliance tab", page.Locator("[data-testid=compliance-tab][data-loaded=true]"));
            await DialogAsync(a11y, "obligation editor", page.GetByTestId("obligation-edit").First);
            await OpenAsync(a11y, mm + "?tab=performance", "MM performance tab", page.Locator("[data-testid=performance-tab][data-loaded=true]"));
            await OpenAsync(a11y, mm + "/statement", "MM statement", page.GetByTestId("statement"));

            await OpenAsync(a11y, "/backoffice/market-orders", "market orders + ladder editor", page.Locator("[data-testid=order-book][data-loaded=true]"), "page-market-orders");
            await Expect(page.GetByTestId("ladder-editor")).ToBeVisibleAsync();
            await DialogAsync(a11y, "cancel-all dialog", page.GetByTestId("cancel-all-book"), close: page.GetByTestId("cancel-all-keep"));

            await OpenAsync(a11y, "/backoffice/clients", "clients", page.GetByTestId("clients-grid"), "page-clients");
            await DialogAsync(a11y, "create client dialog", page.GetByTestId("client-create"));
            await DialogAsync(a11y, "fund client dialog", page.GetByTestId("client-fund").First);
            await DialogAsync(a11y, "client access dialog", page.GetByTestId("client-access").First);

            await OpenAsync(a11y, "/backoffice/logging", "logging overview", page.GetByTestId("activity-chart"));
            await OpenAsync(a11y, "/backoffice/logging?tab=all", "logging all tickets", page.GetByTestId("ticket-cell").First);
            await DialogAsync(a11y, "ticket detail", page.GetByTestId("ticket-cell").First, close: page.GetByTestId("ticket-close"));
            await OpenAsync(a11y, "/backoffice/logging?tab=failed", "logging failed actions", page.GetByTestId("logging-tabs"));
            await OpenAsync(a11y, "/backoffice/logging?tab=search", "logging search", page.GetByTestId("search-hint"));

            await OpenAsync(a11y, "/backoffice/risk", "risk", page.GetByTestId("market-card").First, "page-risk");
            await DialogAsync(a11y, "limits dialog", page.GetByTestId("market-edit-limits").First);
            await DialogAsync(a11y, "halt dialog", page.GetByTestId("market-halt").First);

            await OpenAsync(a11y, "/backoffice/staff", "staff", page.GetByTestId("staff-grid"), "page-staff");
            await DialogAsync(a11y, "create staff dialog", page.GetByTestId("staff-create"));
            await DialogAsync(a11y, "staff access dialog", page.GetByTestId("staff-access").First);
            await DialogAsync(a11y, "reset 2FA dialog", page.Locator("[data-testid=staff-reset-2fa]:not([disabled])").First);

            await OpenAsync(a11y, "/backoffice/approvals", "approvals", page.GetByTestId("approvals-history"), "page-approvals");
            await OpenAsync(a11y, "/account/two-factor", "two-factor setup", page.GetByTestId("two-factor-form"));
            await OpenAsync(a11y, "/account/change-password", "change password", page.GetByTestId("password-form"));
            await OpenAsync(a11y, "/cash-market", "cash market (staff view)", page.Locator("[data-testid=order-book][data-loaded=true]"), "page-cash-market");
        }, output);
    }

    [Fact]
    public async Task The_funded_clients_pages_and_dialogs_are_clean()
    {
        var page = await app.NewPageAsync();
        var a11y = new AccessibilityScanner(page, "FUNDED");
        await a11y.WalkAsync(async () =>
        {
            a11y.Visit("home → cash market");
            await app.SignInAsync(page, app.ClientEmail, UserFactory.DefaultPassword);
            await Interactive(page, "page-cash-market");
            await Expect(page.GetByTestId("client-order-form")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=order-book][data-loaded=true]")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("order-cancel").First).ToBeVisibleAsync();
            await a11y.ScanAsync("cash market");
            await DialogAsync(a11y, "cancel order message box", page.GetByTestId("order-cancel").First,
                close: page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Keep" }));
            await OpenAsync(a11y, "/account/two-factor", "two-factor setup", page.GetByTestId("two-factor-form"));
            await OpenAsync(a11y, "/account/change-password", "change password", page.GetByTestId("password-form"));
        }, output);
    }

    /// <summary>Navigates, waits for the view's main content (and the circuit, for interactive pages), then scans.</summary>
    private static async Task OpenAsync(AccessibilityScanner a11y, string url, string view, ILocator ready, string? pageTestId = null, bool interactive = false)
    {
        a11y.Visit(view);
        await a11y.Page.GotoAsync(url);
        if (pageTestId is not null)
        {
            await Interactive(a11y.Page, pageTestId);
        }
        else if (interactive)
        {
            await Expect(ready).ToHaveAttributeAsync("data-interactive", "true");
        }

        await Expect(ready).ToBeVisibleAsync();
        await a11y.ScanAsync(view);
    }

    /// <summary>Opens a dialog, scans the page with it open, and closes it again (Escape unless a close control is given).</summary>
    private static async Task DialogAsync(AccessibilityScanner a11y, string view, ILocator trigger, ILocator? close = null)
    {
        var page = a11y.Page;
        a11y.Visit(view);
        await BrowserFixture.WaitForInteractiveAsync(page);
        await trigger.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        // The dialog's content renders in the same pass as its frame; wait for its first control before scanning.
        await Expect(dialog.Locator("button").Last).ToBeVisibleAsync();
        await a11y.ScanAsync(view, dialog);
        if (close is null)
        {
            await page.Keyboard.PressAsync("Escape");
        }
        else
        {
            await close.ClickAsync();
        }

        await Expect(dialog).ToHaveCountAsync(0);
    }

    private static Task Interactive(IPage page, string pageTestId) =>
        Expect(page.GetByTestId(pageTestId)).ToHaveAttributeAsync("data-interactive", "true");
}
