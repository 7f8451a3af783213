using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Microsoft.AspNetCore.Hosting;

namespace MarketMakers.Tests.Approvals;

/// <summary>The web app with four-eyes ON (the product default), on a database of its own.</summary>
public class ApprovalsAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("approvals");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Approvals:Enabled", "true");
    }

    /// <summary>Another ADMIN, signed in by bearer token.</summary>
    public async Task<Admin> CreateSecondAdminAsync()
    {
        var user = await CreateUserAsync(Roles.Admin);
        return new Admin(user.Id, CreateApiClient(await LoginAsync(user.Email!, UserFactory.DefaultPassword)));
    }

    public async Task<Admin> FirstAdminAsync() => new(
        await TestDatabase.ScalarAsync<Guid>(Postgres, "SELECT id FROM users WHERE email = @p0", TestDatabase.AdminEmail),
        await CreateAdminClientAsync());
}

/// <summary>A signed-in administrator: its user id and bearer client.</summary>
public sealed record Admin(Guid Id, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>Drives the four-eyes API as a client would.</summary>
public static class FourEyesApi
{
    public const string Base = "/api/v1/admin/approvals";

    public static async Task<JsonElement> StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Requests a movement for an MM (202) and returns the request id and its ticket.</summary>
    public static async Task<(Guid Id, string TicketId)> RequestAsync(HttpClient admin, Guid mm, string asset, string type, object amount, string? notes = null)
    {
        var body = await StatusAsync(await MmApi.TransactAsync(admin, mm, asset, type, amount, notes), HttpStatusCode.Accepted);
        return (body.GetProperty("request").GetProperty("id").GetGuid(), body.GetProperty("ticket_id").GetString()!);
    }

    public static Task<HttpResponseMessage> ApproveAsync(HttpClient admin, Guid request) =>
        admin.PostAsync($"{Base}/{request}/approve", null);

    public static Task<HttpResponseMessage> RejectAsync(HttpClient admin, Guid request, string? reason) =>
        admin.PostAsJsonAsync($"{Base}/{request}/reject", new { reason });

    /// <summary>Creates an MM whose initial balances are approved by <paramref name="approver"/> at once.</summary>
    public static async Task<Guid> FundedMarketMakerAsync(HttpClient requester, HttpClient approver, object initialBalances, string tag)
    {
        var created = await StatusAsync(await requester.PostAsJsonAsync(MmApi.Base, new
        {
            name = $"MM {tag} {Guid.NewGuid():N}",
            email = MmApi.UniqueEmail(tag),
            initial_balances = initialBalances,
        }), HttpStatusCode.OK);
        foreach (var request in created.GetProperty("requests").EnumerateArray())
        {
            await StatusAsync(await ApproveAsync(approver, request.GetProperty("id").GetGuid()), HttpStatusCode.OK);
        }

        return created.GetProperty("market_maker").GetProperty("id").GetGuid();
    }

    /// <summary>
    /// A pending CEA deposit request by another ADMIN, stored as the request action stores it; for apps running with
    /// four-eyes off (the audit coverage), whose movement endpoints execute at once instead.
    /// </summary>
    public static async Task<Guid> SeedPendingAsync(AppFactory app, Guid mm)
    {
        var requester = await app.CreateUserAsync(Roles.Admin);
        var id = Guid.CreateVersion7();
        await TestDatabase.ExecuteAsync(app.Postgres, $"""
            INSERT INTO movement_requests (id, status, holder_id, market_maker_id, asset, transaction_type, amount, requested_by, requested_at, expires_at, request_ticket_id)
            VALUES ('{id}', 'PENDING', '{mm}', '{mm}', 'CEA', 'DEPOSIT', 10, '{requester.Id}', now(), now() + interval '1 day', 'TKT-SEEDED')
            """);
        return id;
    }

    public static Task<string> RequestStatusAsync(string postgres, Guid request) =>
        TestDatabase.ScalarAsync<string>(postgres, "SELECT status FROM movement_requests WHERE id = @p0", request);
}
