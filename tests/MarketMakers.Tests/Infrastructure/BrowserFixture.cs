using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel port plus Debian's Chromium driven by Playwright (Playwright cannot download its
/// own browsers here). One per test class.
/// </summary>
public class BrowserFixture : AppFactory
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var port = FreePort();
        UseKestrel(port);
        StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        // Auto-waiting assertions wait up to 20 s: a Blazor round trip on a loaded 2-core CI runner can take
        // seconds, and a slow pass must not read as a failure (nor be "fixed" by retries).
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        return await context.NewPageAsync();
    }

    public async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>Waits until the page's Blazor circuit is live; clicks before that are ignored by the server.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Assertions.Expect(page.GetByTestId("app-shell")).ToHaveAttributeAsync("data-interactive", "true");

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(TestEnvironment.OutputDirectory("screenshots"), name + ".png"),
            FullPage = true,
        });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
