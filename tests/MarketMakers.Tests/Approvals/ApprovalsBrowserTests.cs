using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Approvals;

/// <summary>The browser app with four-eyes on.</summary>
public sealed class ApprovalsBrowserFixture : BrowserFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Approvals:Enabled", "true");
    }
}

/// <summary>The Approvals page in Chromium: a request made elsewhere appears live, approving and rejecting take it off the queue.</summary>
public sealed class ApprovalsBrowserTests(ApprovalsBrowserFixture browser) : IClassFixture<ApprovalsBrowserFixture>
{
    [Fact]
    public async Task A_new_request_appears_live_and_approving_or_rejecting_it_moves_it_to_the_history()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync("/backoffice/approvals");
        await Expect(page.GetByTestId("page-approvals")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("four-eyes-off")).ToHaveCountAsync(0);

        // Another administrator requests two movements through the API while the page is open.
        var requester = await browser.CreateUserAsync(Roles.Admin);
        using var api = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var login = await FourEyesApi.StatusAsync(
            await api.PostAsJsonAsync("/api/v1/auth/login", new { email = requester.Email, password = UserFactory.DefaultPassword }), HttpStatusCode.OK);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("access_token").GetString());
        var name = $"Aurora Carbon {Guid.NewGuid():N}"[..24];
        var created = await FourEyesApi.StatusAsync(await api.PostAsJsonAsync(MmApi.Base, new { name, email = MmApi.UniqueEmail("page") }), HttpStatusCode.OK);
        var mm = created.GetProperty("market_maker").GetProperty("id").GetGuid();
        await FourEyesApi.RequestAsync(api, mm, "CEA", "DEPOSIT", "1500", "Registry transfer 4711");
        await FourEyesApi.RequestAsync(api, mm, "EUR", "DEPOSIT", "250000.00", "Wire from custodian");

        var rows = page.GetByTestId("approvals-pending").Locator("tbody tr").Filter(new() { HasText = name });
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("approvals-badge")).Not.ToBeEmptyAsync();
        await BrowserFixture.ScreenshotAsync(page, "approvals-page");

        var cea = rows.Filter(new() { HasText = "Registry transfer 4711" });
        await cea.GetByTestId("approval-approve").ClickAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Approved" })).ToContainTextAsync("TKT-");
        await Expect(rows).ToHaveCountAsync(1);
        var history = page.GetByTestId("approvals-history").Locator("tbody tr").Filter(new() { HasText = name });
        await Expect(history.Filter(new() { HasText = "APPROVED" })).ToHaveCountAsync(1);
        var balances = JsonDocument.Parse(await api.GetStringAsync($"{MmApi.Base}/{mm}/balances")).RootElement;
        Assert.Equal(1500m, balances.GetProperty("CEA").Dec("available"));

        await rows.GetByTestId("approval-reject").ClickAsync();
        var dialog = page.GetByTestId("approval-reject-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("reject-submit").ClickAsync();
        await Expect(dialog).ToContainTextAsync("A reason is required.");
        await page.GetByTestId("reject-reason").FillAsync("Wire not received yet");
        await page.GetByTestId("reject-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(history.Filter(new() { HasText = "Wire not received yet" })).ToContainTextAsync("REJECTED");
    }
}
