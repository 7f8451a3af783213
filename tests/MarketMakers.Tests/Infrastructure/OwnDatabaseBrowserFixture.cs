using Microsoft.AspNetCore.Hosting;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>The browser app on a database of its own (tagged <paramref name="tag"/>), for tests whose rows would disturb, or be disturbed by, other test classes.</summary>
public abstract class OwnDatabaseBrowserFixture(string tag) : BrowserFixture
{
    private string _own = "";

    public override async Task InitializeAsync()
    {
        _own = await TestDatabase.CreateAsync(tag);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(_own);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The host is built after InitializeAsync: point it (and Services) at this class's database.
        Postgres = _own;
        base.ConfigureWebHost(builder);
    }
}
