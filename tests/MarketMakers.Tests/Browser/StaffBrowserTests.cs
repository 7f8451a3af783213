using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MarketMakers.Tests.Browser;

/// <summary>The Staff page in Chromium (ADMIN), and what an AUDITOR sees of the back office: everything, and no button that changes anything.</summary>
public sealed class StaffBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_creates_a_staff_member_and_changes_their_role_on_the_staff_page()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await Expect(page.GetByTestId("nav").GetByText("Staff")).ToBeVisibleAsync();
        await page.GotoAsync("/backoffice/staff");
        await Expect(page.GetByTestId("page-staff")).ToHaveAttributeAsync("data-interactive", "true");

        var email = $"olga.operator-{Guid.NewGuid().ToString("N")[..8]}@desk.test";
        await page.GetByTestId("staff-create").ClickAsync();
        var dialog = page.GetByTestId("staff-create-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("staff-first-name").FillAsync("Olga");
        await page.GetByTestId("staff-last-name").FillAsync("Operator");
        await page.GetByTestId("staff-email").FillAsync(email);
        await page.GetByTestId("staff-password").FillAsync("Initial-Passw0rd-1");
        await page.GetByTestId("staff-create-submit").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = $"Staff member {email} created as OPERATOR" })).ToContainTextAsync("TKT-");

        var row = page.GetByTestId("staff-grid").Locator("tbody tr").Filter(new() { HasText = email });
        await Expect(row.GetByTestId("staff-role")).ToHaveTextAsync("OPERATOR");
        await Expect(row.GetByTestId("staff-status")).ToContainTextAsync("Must change password");
        await Expect(row.GetByTestId("staff-2fa")).ToHaveTextAsync("Not enrolled");
        await BrowserFixture.ScreenshotAsync(page, "staff-page");

        await row.GetByTestId("staff-access").ClickAsync();
        var access = page.GetByTestId("staff-access-dialog");
        await Expect(access).ToBeVisibleAsync();
        await page.GetByTestId("staff-access-role").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "AUDITOR" }).ClickAsync();
        await page.GetByTestId("staff-access-submit").ClickAsync();
        await Expect(access).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = $"{email}: AUDITOR, active" })).ToContainTextAsync("TKT-");
        await Expect(row.GetByTestId("staff-role")).ToHaveTextAsync("AUDITOR");
    }

    [Fact]
    public async Task An_auditor_reads_the_back_office_without_controls_and_cannot_open_the_staff_page()
    {
        var auditor = await browser.CreateUserAsync(Roles.Auditor);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, auditor.Email!, UserFactory.DefaultPassword);
        await page.WaitForURLAsync(url => url.Contains("/backoffice/market-makers", StringComparison.Ordinal));
        await Expect(page.GetByTestId("nav").GetByText("Clients")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav").GetByText("Staff")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("mm-create")).ToHaveCountAsync(0);

        await page.GotoAsync("/backoffice/clients");
        await Expect(page.GetByTestId("page-clients")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("client-create")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("client-access")).ToHaveCountAsync(0);

        var staff = await page.GotoAsync("/backoffice/staff");
        Assert.Equal(403, staff!.Status);
    }
}
