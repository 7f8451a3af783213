using Microsoft.AspNetCore.Hosting;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>
/// The browser app on a database of its own (named after <paramref name="tag"/>), for browser tests whose figures
/// must not mix with the shared database's books and trades. Derive a fixture per test class.
/// </summary>
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
        // The host is built after InitializeAsync: point it (and Services) at this fixture's database.
        Postgres = _own;
        base.ConfigureWebHost(builder);
    }
}
