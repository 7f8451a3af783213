using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Ledger;

/// <summary>
/// A fresh database plus Core services for one test that must not disturb the shared database (corrupting a
/// balance, bulk history, locks no order explains). Dropped again when the test ends.
/// </summary>
public sealed class OwnDatabase : IAsyncDisposable
{
    private OwnDatabase(string postgres)
    {
        Postgres = postgres;
        Services = TestDatabase.BuildServices(postgres);
    }

    public string Postgres { get; }

    public ServiceProvider Services { get; }

    public static async Task<OwnDatabase> CreateAsync(string tag) => new(await TestDatabase.CreateAsync(tag));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}
