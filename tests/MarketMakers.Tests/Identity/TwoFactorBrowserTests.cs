using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static MarketMakers.Tests.Identity.TwoFactorTestKit;

namespace MarketMakers.Tests.Identity;

public sealed class TwoFactorBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_enrolls_from_the_text_key_then_signs_in_by_page_and_by_api_with_codes()
    {
        var admin = await browser.CreateUserAsync(Roles.Admin);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, admin.Email!, UserFactory.DefaultPassword);
        await page.GotoAsync("/account/two-factor");

        await Expect(page.GetByTestId("two-factor-qr")).ToBeVisibleAsync();
        var key = (await page.GetByTestId("two-factor-key").TextContentAsync())!;
        await BrowserFixture.ScreenshotAsync(page, "two-factor-enrollment");
        await page.FillAsync("#code", Code(key, -1));
        await page.ClickAsync("[data-testid=two-factor-form] button[type=submit]");

        await Expect(page.GetByTestId("two-factor-enabled")).ToContainTextAsync("TKT-");
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));

        await browser.SignInAsync(page, admin.Email!, UserFactory.DefaultPassword);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login/code"));
        await page.FillAsync("#code", Code(key, 20));
        await page.ClickAsync("button[type=submit]");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync(SignInService.WrongCodeMessage);
        await page.FillAsync("#code", Code(key, 0));
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/backoffice/market-makers$"));

        // The browser fixture serves on a real port, so the API call goes there too.
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var api = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = admin.Email, password = UserFactory.DefaultPassword, otp = Code(key, 1) });
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
