using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Obligations;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Obligations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>
/// The browser app on a database of its own whose sampler passes once, at start-up (before these tests' obligations
/// exist): the only samples are the scripted ones, so presence figures are exact. On the shared database every other
/// host's sampler would add samples of these obligations every 10 s.
/// </summary>
public sealed class ComplianceBrowserFixture() : OwnDatabaseBrowserFixture("complianceui")
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Obligations:SampleSeconds", "3600");
    }
}

/// <summary>Issue 17: MM detail's Compliance tab (chart, breaches, CSV export, the obligation dialog) and the grid's presence badge.</summary>
public sealed class ComplianceBrowserTests(ComplianceBrowserFixture browser) : IClassFixture<ComplianceBrowserFixture>
{
    private async Task<Guid> MarketMakerAsync(string name, decimal cea = 0m)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
        return (await service.CreateAsync(CreateMarketMaker.Parse(name, $"{Guid.NewGuid():N}@compliance.test", null,
            new Dictionary<string, decimal> { ["EUR"] = 1000m, ["CEA"] = cea }))).Value.Id;
    }

    private async Task ObligeAsync(Guid mm, decimal minPresence, bool active = true)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ObligationService>().SetAsync(SetObligation.Parse(mm.ToString(), "CEA", 1.00m, 10, minPresence, active));
    }

    /// <summary>An API client with the admin's bearer token, on the fixture's real port (the Kestrel host has no in-memory client).</summary>
    private async Task<HttpClient> BearerClientAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = TestDatabase.AdminEmail, password = TestDatabase.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task The_compliance_tab_charts_the_scripted_presence_lists_the_breaches_exports_them_and_edits_the_obligation()
    {
        var mm = await MarketMakerAsync($"Compliance MM {Guid.NewGuid():N}"[..22]);
        await ObligeAsync(mm, 50);
        await ComplianceScript.InsertAsync(browser.Postgres, mm);

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.GotoAsync($"/backoffice/market-makers/{mm}?tab=compliance&from={ComplianceScript.Day}&to={ComplianceScript.Day}&bucket=hour");
        await Expect(page.GetByTestId("mm-detail")).ToHaveAttributeAsync("data-interactive", "true");
        var tab = page.GetByTestId("compliance-tab");
        await Expect(tab).ToHaveAttributeAsync("data-loaded", "true");
        var cea = tab.GetByTestId("obligation-cea");
        await Expect(cea.GetByTestId("obligation-terms")).ToHaveTextAsync("Max spread € 1.00 · min quantity 10 per side · min presence 50 %");
        await Expect(cea.GetByTestId("obligation-active")).ToHaveTextAsync("Active");
        await Expect(cea.GetByTestId("presence-chart")).ToHaveAttributeAsync("data-points", "2");
        await Expect(cea.Locator("svg path").First).ToBeVisibleAsync();
        await Expect(cea.GetByTestId("obligation-period-presence")).ToHaveTextAsync("40 % · below");
        await Expect(cea.GetByTestId("obligation-period-presence")).ToHaveAttributeAsync("data-met", "false");

        // The 10:00 hour is the one breach: 0 of 2 present, one-sided then 1.50 wide.
        var breach = cea.GetByTestId("breach-row");
        await Expect(breach).ToHaveCountAsync(1);
        await Expect(breach.GetByTestId("breach-bucket")).ToHaveTextAsync("2026-01-05 10:00");
        await Expect(breach.GetByTestId("breach-presence")).ToHaveTextAsync("0 %");
        await Expect(breach.GetByTestId("breach-required")).ToHaveTextAsync("50 %");
        await Expect(breach.GetByTestId("breach-spread")).ToHaveTextAsync("€ 1.50");
        await Expect(breach.GetByTestId("breach-bid")).ToHaveTextAsync("5");
        await Expect(breach.GetByTestId("breach-ask")).ToHaveTextAsync("20");
        await BrowserFixture.ScreenshotAsync(page, "compliance");

        // By day the whole day is one bucket: 2 of 5, a breach.
        await tab.GetByTestId("compliance-bucket-day").ClickAsync();
        await Expect(breach.GetByTestId("breach-bucket")).ToHaveTextAsync("2026-01-05");
        await Expect(breach.GetByTestId("breach-presence")).ToHaveTextAsync("40 %");
        await Expect(breach.GetByTestId("breach-spread")).ToHaveTextAsync("€ 0.75");

        // The export is the API's CSV of the same view.
        var download = await page.RunAndWaitForDownloadAsync(() => tab.GetByTestId("compliance-export").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        using var admin = await BearerClientAsync();
        var api = await admin.GetStringAsync(
            $"/api/v1/admin/market-makers/{mm}/compliance?date_from={ComplianceScript.Day}&date_to={ComplianceScript.Day}&bucket=day&format=csv");
        Assert.Equal(api, csv);
        Assert.StartsWith("bucket,certificate_type,samples,present_samples,presence_pct,avg_spread,avg_bid_quantity,avg_ask_quantity,min_presence_pct,met\n"
                          + "2026-01-05T00:00:00Z,CEA,5,2,40", csv);
        Assert.EndsWith(",false\n", csv);

        // Lowering the requirement to 40 % makes the day meet it: no breach left.
        await cea.GetByTestId("obligation-edit").ClickAsync();
        var dialog = page.GetByTestId("obligation-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByTestId("obligation-min-presence").FillAsync("40");
        await page.GetByTestId("obligation-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Obligation on CEA saved" })).ToContainTextAsync("TKT-");
        await Expect(cea.GetByTestId("obligation-terms")).ToContainTextAsync("min presence 40 %");
        await Expect(cea.GetByTestId("breaches-none")).ToBeVisibleAsync();
        await Expect(cea.GetByTestId("obligation-period-presence")).ToHaveTextAsync("40 % · met");

        // An auditor reads the tab but has no obligation controls.
        var auditor = await browser.CreateUserAsync(Roles.Auditor);
        var read = await browser.NewPageAsync();
        await browser.SignInAsync(read, auditor.Email!, UserFactory.DefaultPassword);
        await read.GotoAsync($"/backoffice/market-makers/{mm}?tab=compliance&from={ComplianceScript.Day}&to={ComplianceScript.Day}");
        await Expect(read.GetByTestId("compliance-tab")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(read.GetByTestId("obligation-cea")).ToBeVisibleAsync();
        await Expect(read.GetByTestId("obligation-add")).ToHaveCountAsync(0);
        await Expect(read.GetByTestId("obligation-edit")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_grid_shows_todays_presence_as_a_met_or_below_badge_and_a_dash_without_an_active_obligation()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var met = await MarketMakerAsync($"Badge met {suffix}");
        var below = await MarketMakerAsync($"Badge below {suffix}");
        var inactive = await MarketMakerAsync($"Badge inactive {suffix}");
        var unsampled = await MarketMakerAsync($"Badge unsampled {suffix}");
        await MarketMakerAsync($"Badge none {suffix}");
        await ObligeAsync(met, 50);
        await ComplianceScript.InsertTodayAsync(browser.Postgres, met, present: 2, total: 3);
        await ObligeAsync(below, 90);
        await ComplianceScript.InsertTodayAsync(browser.Postgres, below, present: 1, total: 3);
        await ObligeAsync(inactive, 50, active: false);
        await ObligeAsync(unsampled, 50);

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(page.GetByTestId("page-market-makers")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("mm-search").FillAsync(suffix);
        await Expect(page.GetByTestId("mm-link")).ToHaveCountAsync(5);

        ILocator Badge(string name) => page.GetByTestId("mm-grid").Locator("tbody tr").Filter(new() { HasText = $"Badge {name} {suffix}" }).GetByTestId("mm-presence");
        await Expect(Badge("met")).ToHaveTextAsync("66.67 % · met");
        await Expect(Badge("met")).ToHaveAttributeAsync("data-met", "true");
        await Expect(Badge("met")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-color-success"));
        await Expect(Badge("below")).ToHaveTextAsync("33.33 % · below");
        await Expect(Badge("below")).ToHaveAttributeAsync("data-met", "false");
        await Expect(Badge("below")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-color-error"));
        await Expect(Badge("unsampled")).ToHaveTextAsync("No samples yet");
        await Expect(Badge("inactive")).ToHaveTextAsync("—");
        await Expect(Badge("none")).ToHaveTextAsync("—");
    }

    [Fact]
    public async Task The_performance_tab_shows_the_periods_figures_as_cards_and_the_daily_charts()
    {
        var mm = await MarketMakerAsync($"Performance MM {Guid.NewGuid():N}"[..23], cea: 50m);

        // This class's own database: no other test's trade sets the last price. The MM sells 10 @ 50 to a client.
        var (client, _) = await Orders.Market.CreateTraderAsync(browser.Services, new Dictionary<string, decimal> { ["EUR"] = 1000m });
        await Orders.Market.WithAsync<MarketMakers.Core.Orders.OrderService, object>(browser.Services, async s =>
            await s.PlaceMarketMakerOrderAsync(mm, Orders.Market.Order("CEA", "SELL", 50.00m, 10)));
        await Orders.Market.WithAsync<MarketMakers.Core.Orders.OrderService, object>(browser.Services, async s =>
            await s.PlaceClientOrderAsync(client, Orders.Market.Order("CEA", "BUY", 50.00m, 10)));

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.GotoAsync($"/backoffice/market-makers/{mm}?tab=performance");
        var tab = page.GetByTestId("performance-tab");
        await Expect(tab).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(tab.GetByTestId("perf-sold").GetByTestId("card-value")).ToHaveTextAsync("10 · € 500.00");
        await Expect(tab.GetByTestId("perf-trades").GetByTestId("card-value")).ToHaveTextAsync("1");
        await Expect(tab.GetByTestId("perf-net-position").GetByTestId("card-value")).ToHaveTextAsync("-10");
        await Expect(tab.GetByTestId("perf-average-cost").GetByTestId("card-value")).ToHaveTextAsync("€ 50.00");
        await Expect(tab.GetByTestId("perf-unrealized").GetByTestId("card-value")).ToHaveTextAsync("€ 0.00");
        // The last 30 days, one point each, in both charts.
        await Expect(tab.GetByTestId("volume-chart").GetByTestId("daily-chart")).ToHaveAttributeAsync("data-points", "30");
        await Expect(tab.GetByTestId("pnl-chart").GetByTestId("daily-chart")).ToHaveAttributeAsync("data-points", "30");

        await BrowserFixture.ScreenshotAsync(page, "mm-performance");

        // EUA has no trades: zero figures, the same days.
        await tab.GetByTestId("performance-certificate-eua").ClickAsync();
        await Expect(tab.GetByTestId("perf-trades").GetByTestId("card-value")).ToHaveTextAsync("0");
        await Expect(tab.GetByTestId("perf-net-position").GetByTestId("card-value")).ToHaveTextAsync("0");
    }
}
