using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MarketMakers.Tests.Components.Logging;

/// <summary>bUnit context wired like the app: real Core services on the run's shared PostgreSQL and Redis.</summary>
public abstract class LoggingComponentTest : BunitContext, IAsyncLifetime
{
    protected string Postgres { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Postgres = await TestDatabase.SharedAsync();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestDatabase.Settings(Postgres)).Build());
        Services.AddLogging();
        Services.AddMarketMakersCore();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    // MudBlazor registers services that only dispose asynchronously; dispose the context that way first.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Records one ticket through the real runner; a failing one returns its FAILED ticket id.</summary>
    protected async Task<string> RecordAsync(TicketDraft draft, bool fail = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        if (!fail)
        {
            return (await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId;
        }

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, _ => throw DomainException.Rule("Insufficient available balance.")));
        return ex.TicketId!;
    }
}
