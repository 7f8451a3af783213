using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>The whole web app in-process, on the shared real database and Redis.</summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string Postgres { get; protected set; } = "";

    public virtual async Task InitializeAsync() => Postgres = await TestDatabase.SharedAsync();

    public new virtual async Task DisposeAsync() => await base.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Never the app's default port 5000: a developer's ./run.sh may be using it.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in TestDatabase.Settings(Postgres))
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateApiClient(string? token = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        using var client = CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login of {email} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpClient> CreateAdminClientAsync() =>
        CreateApiClient(await LoginAsync(TestDatabase.AdminEmail, TestDatabase.AdminPassword));

    public Task<AppUser> CreateUserAsync(string role, string? password = UserFactory.DefaultPassword, Guid? entityId = null) =>
        UserFactory.CreateAsync(Services, role, password, entityId);

    public async Task<HttpClient> CreateClientForRoleAsync(string role)
    {
        var user = await CreateUserAsync(role);
        return CreateApiClient(await LoginAsync(user.Email!, UserFactory.DefaultPassword));
    }
}
