using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

public sealed class LoggingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_opens_a_failed_ticket_follows_its_related_ticket_and_exports_the_filtered_view()
    {
        var tag = "pw" + Guid.NewGuid().ToString("N")[..10];
        var withdrawal = await RecordAsync(Draft(ActionTypes.AssetWithdrawal, tag, new { available = "10", locked = "0" }, new { available = "5", locked = "0" }));
        var refusal = Draft(ActionTypes.AssetWithdrawal, tag, new { available = "5", locked = "0" }, null);
        refusal.RelatedTicketIds.Add(withdrawal);
        var failed = await RecordAsync(refusal, fail: true);
        var update = await RecordAsync(Draft(ActionTypes.MmUpdated, tag, new { name = "Desk A" }, new { name = "Desk A (EU)" }));
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();

        await page.GotoAsync("/backoffice/logging");
        await Expect(page.GetByTestId("metric-total-value")).Not.ToHaveTextAsync("0");
        await Expect(page.GetByTestId("activity-chart").Locator("svg path")).Not.ToHaveCountAsync(0);
        await Expect(page.GetByTestId("activity-chart")).ToContainTextAsync("Failed");
        await BrowserFixture.ScreenshotAsync(page, "logging-overview");

        // Verify audit chain from the page header: the run's database has not been tampered with.
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("verify-chain").ClickAsync();
        await Expect(page.GetByTestId("verify-result")).ToContainTextAsync(new Regex(@"Intact, [\d,]+ tickets verified"));
        await BrowserFixture.ScreenshotAsync(page, "logging-verify-chain");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Failed Actions" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab=failed"));
        var failedCell = page.GetByTestId("failed-grid").Locator($"[data-testid=ticket-cell][data-ticket-id='{failed}']");
        await Expect(failedCell).ToBeVisibleAsync();
        await Expect(page.Locator("tr.mm-row-failed").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "logging-failed-actions");

        await failedCell.ClickAsync();
        await Expect(page.GetByTestId("ticket-dialog-id")).ToHaveTextAsync(failed);
        await Expect(page.GetByTestId("field-status")).ToHaveTextAsync("FAILED");
        await Expect(page.GetByTestId("json-response")).ToContainTextAsync("Insufficient available balance.");
        await BrowserFixture.ScreenshotAsync(page, "logging-ticket-failed-detail");

        await page.GetByTestId("related-ticket").Filter(new() { HasText = withdrawal }).ClickAsync();
        await Expect(page.GetByTestId("ticket-dialog-id")).ToHaveTextAsync(withdrawal);
        await Expect(page.Locator("[data-testid=diff-row][data-path=available]")).ToHaveAttributeAsync("data-change", "changed");
        await Expect(page.Locator("[data-testid=diff-row][data-path=locked]")).ToHaveAttributeAsync("data-change", "unchanged");
        await BrowserFixture.ScreenshotAsync(page, "logging-ticket-related-diff");
        await page.GetByTestId("ticket-close").ClickAsync();
        await Expect(page.GetByTestId("ticket-dialog")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Tab, new() { Name = "All Tickets" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab=all"));
        await page.Locator("input[data-testid=filter-tags], [data-testid=filter-tags] input").FillAsync(tag);
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"tab=all.*tags={tag}"));
        await Expect(page.GetByTestId("all-grid-total")).ToHaveTextAsync("3 tickets");
        await BrowserFixture.ScreenshotAsync(page, "logging-all-tickets-filtered");
        var allTicketsUrl = page.Url;

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("all-grid-export").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.StartsWith("ticket_id,timestamp,action_type,status", lines[0], StringComparison.Ordinal);
        Assert.Equal([update, failed, withdrawal], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains(lines, l => l.StartsWith(failed + ",", StringComparison.Ordinal) && l.Contains(",FAILED,", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab=search"));
        await Expect(page.GetByTestId("search-grid-total")).ToHaveTextAsync("3 tickets");
        await page.Locator("input[data-testid=filter-search], [data-testid=filter-search] input").FillAsync(failed);
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page.GetByTestId("search-grid-total")).ToHaveTextAsync("1 ticket");
        await Expect(page.GetByTestId("search-grid").Locator($"[data-testid=ticket-cell][data-ticket-id='{failed}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "logging-search");

        // The filtered view is a shareable link: opening it fresh shows the same three tickets.
        var shared = await browser.NewPageAsync();
        await browser.SignInAsync(shared, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await Expect(shared.GetByTestId("current-user")).ToBeVisibleAsync();
        await shared.GotoAsync(allTicketsUrl);
        await Expect(shared.GetByTestId("all-grid-total")).ToHaveTextAsync("3 tickets");
    }

    [Fact]
    public async Task The_page_export_needs_a_signed_in_admin()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(browser.BaseUrl) };
        var response = await anonymous.GetAsync("/backoffice/logging/export?status=FAILED");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        // A bearer token is for the API only; it does not open the cookie-authenticated page export.
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = TestDatabase.AdminEmail, password = TestDatabase.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/backoffice/logging/export?status=FAILED");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var withToken = await anonymous.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, withToken.StatusCode);
    }

    private static TicketDraft Draft(string action, string tag, object? before, object? after)
    {
        var draft = new TicketDraft(action, action == ActionTypes.MmUpdated ? EntityTypes.MarketMaker : EntityTypes.AssetTransaction)
        {
            EntityId = Guid.NewGuid().ToString(),
            Request = new { certificate_type = "CEA", amount = action == ActionTypes.AssetWithdrawal && after is null ? "50" : "5" },
            Before = before,
            After = after,
        };
        draft.Tags.Add(tag);
        return draft;
    }

    private async Task<string> RecordAsync(TicketDraft draft, bool fail = false)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        if (!fail)
        {
            return (await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId;
        }

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, _ => throw DomainException.Rule("Insufficient available balance.")));
        return ex.TicketId!;
    }
}
