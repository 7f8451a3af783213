using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MarketMakers.Web.Market;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace MarketMakers.Bench;

/// <summary>
/// The real web app (its Program, production environment, sealer on) on a loopback Kestrel port over a bench database,
/// hosted in this process so the bench can call its Core services directly. Any type of the Web assembly names the
/// entry point; the bench's own top-level Program would hide the Web's.
/// </summary>
internal sealed class BenchWebApp : WebApplicationFactory<MarketGateway>
{
    private readonly BenchDatabase _db;
    private readonly int _port = FreePort();

    public BenchWebApp(BenchDatabase db)
    {
        _db = db;
        UseKestrel(_port);
        StartServer();
    }

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(WebContentRoot());
        builder.UseEnvironment("Production");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        // Request and circuit logging would go to this console and cost the server time on every update.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _db.Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// The Web project's folder, from the manifest Mvc.Testing writes next to the bench. The factory itself reads that
    /// manifest from the current directory, which under `dotnet run` is wherever the command was typed.
    /// </summary>
    private static string WebContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        return roots[typeof(MarketGateway).Assembly.FullName!];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Debian's Chromium driven by Playwright (Playwright cannot download its own browsers here).</summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private BenchBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BenchBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MM_BENCH_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new BenchBrowser(playwright, browser);
    }

    /// <summary>A fresh context signed in through the login page, on <paramref name="path"/> once its circuit is live.</summary>
    public async Task<IPage> SignedInPageAsync(string baseUrl, string email, string password, string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
