using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>Core services on the shared test database, for service-level integration tests.</summary>
public sealed class CoreFixture : IAsyncLifetime
{
    public string Postgres { get; private set; } = "";

    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await TestDatabase.SharedAsync();
        Services = TestDatabase.BuildServices(Postgres);
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();

    /// <summary>Resolves a scoped service in a fresh scope, as one request or circuit would.</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> use)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<AppUser> CreateUserAsync(string role, string? password = UserFactory.DefaultPassword, Guid? entityId = null) =>
        UserFactory.CreateAsync(Services, role, password, entityId);
}

/// <summary>Creates users through the same Core path as the product, each with a unique email.</summary>
public static class UserFactory
{
    public const string DefaultPassword = "Trader-Passw0rd-1";

    public static async Task<AppUser> CreateAsync(IServiceProvider services, string role, string? password = DefaultPassword, Guid? entityId = null)
    {
        await using var scope = services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = new { email, role } };
        var result = await runner.RunAsync(draft, scope => accounts.AddAsync(scope, new NewUser(email, password, "Test", role, role, entityId), default));
        return result.Value;
    }
}
