using MarketMakers.Core.Ledger;
using System.Reflection;
using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Shared;
using MarketMakers.Web.Market;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace MarketMakers.Tests.Components;

/// <summary>
/// A bUnit context wired like the app: MudBlazor and the REAL Core services (plus the pages' MarketGateway and FormSubmission) on the
/// run's test PostgreSQL and Redis, so what a component submits goes through the services exactly as on the live page.
/// </summary>
public abstract class CoreBunitContext : BunitContext, IAsyncLifetime
{
    protected string Postgres { get; private set; } = "";

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    protected IEnumerable<string> SnackbarMessages => Snackbar.ShownSnackbars.Select(s => s.Message ?? "");

    public virtual async Task InitializeAsync()
    {
        // Every wait here is on a real database round trip: on a loaded 2-core runner one can take seconds, and a slow
        // pass must not read as a failure (bUnit's default is 1 s).
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        Postgres = await CreateDatabaseAsync();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestDatabase.Settings(Postgres)).Build());
        Services.AddLogging();
        Services.AddMarketMakersCore();
        Services.AddMudServices();
        Services.AddScoped<MarketGateway>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    // MudBlazor registers services that only dispose asynchronously; dispose the context that way first.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DropDatabaseAsync(Postgres);
    }

    /// <summary>The run's shared database; a class whose rows would disturb other tests (resting orders) makes its own.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestDatabase.SharedAsync();

    /// <summary>Pairs with <see cref="CreateDatabaseAsync"/>: the shared database is never dropped.</summary>
    protected virtual Task DropDatabaseAsync(string postgres) => Task.CompletedTask;

    /// <summary>A FUNDED client user with an entity holding <paramref name="eur"/> and <paramref name="cea"/>, booked through the services.</summary>
    protected async Task<Guid> CreateFundedClientAsync(decimal eur, decimal cea = 0m)
    {
        await using var scope = Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = (await clients.CreateUserAsync(new CreateClientUserRequest(
            $"bunit-client-{suffix}@test.local", "Client-Passw0rd-42", "Form", "Tester", Roles.Funded, $"Form Entity {suffix}"))).Value.Id;
        var movements = scope.ServiceProvider.GetRequiredService<LedgerMovementService>();
        await movements.FundAsync(user, "EUR", eur);
        if (cea > 0)
        {
            await movements.FundAsync(user, "CEA", cea);
        }

        return user;
    }

    /// <summary>
    /// A browser double click on a submit button: the second click event reaches the circuit before the first
    /// submission's render (which disables the button) reaches the browser, and Blazor routes an event on a replaced
    /// handler id to its latest equivalent, so the server runs the click handler twice. bUnit re-renders synchronously
    /// and would refuse the stale id, so the form's private SubmitAsync is invoked twice on the renderer's dispatcher,
    /// as the circuit does.
    /// </summary>
    protected static async Task DoubleClickSubmitAsync<T>(IRenderedComponent<T> cut)
        where T : IComponent
    {
        var submit = typeof(T).GetMethod("SubmitAsync", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)!;
        var clicks = await cut.InvokeAsync(() => new[] { (Task)submit.Invoke(cut.Instance, null)!, (Task)submit.Invoke(cut.Instance, null)! });
        await Task.WhenAll(clicks);
    }

    /// <summary>Types into a MudBlazor input found by the data-testid it passes to its &lt;input&gt;.</summary>
    protected static void Type<T>(IRenderedComponent<T> cut, string testId, string value)
        where T : IComponent
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
        where T : IComponent =>
        cut.FindAll(".mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
}
