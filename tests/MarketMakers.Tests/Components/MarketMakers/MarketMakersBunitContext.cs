using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.MarketMakers;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace MarketMakers.Tests.Components.MarketMakers;

/// <summary>
/// A bUnit context with MudBlazor and the REAL Core services on the run's test PostgreSQL and Redis: what a
/// component submits goes through MarketMakerService exactly as on the live page.
/// </summary>
public abstract class MarketMakersBunitContext : BunitContext, IAsyncLifetime
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

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected MarketMakerService MarketMakers => Services.GetRequiredService<MarketMakerService>();

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    protected IEnumerable<string> SnackbarMessages => Snackbar.ShownSnackbars.Select(s => s.Message ?? "");

    protected static string UniqueEmail(string tag) => $"bunit-{tag}-{Guid.NewGuid():N}@test.local";

    protected Task<long> CountMarketMakersAsync(string email) =>
        TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM market_maker_clients WHERE lower(email) = lower(@p0)", email);

    /// <summary>Types into a MudBlazor input found by the data-testid it passes to its &lt;input&gt;.</summary>
    protected static void Type<T>(IRenderedComponent<T> cut, string testId, string value)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var input = cut.Find($"input[data-testid={testId}], textarea[data-testid={testId}]");
        if (input.HasAttribute("blazor:oninput"))
        {
            input.Input(value);
        }
        else
        {
            input.Change(value);
        }
    }

    /// <summary>The validation messages MudBlazor shows under the inputs.</summary>
    protected static IReadOnlyList<string> ValidationMessages<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll(".mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
}
