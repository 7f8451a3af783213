using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Logging;

/// <summary>The app on a database of its own, so every ticket in it was written by this test class.</summary>
public sealed class CoverageAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("coverage");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

/// <summary>
/// Complete coverage (issue 5): every mutating API endpoint, found from the app's endpoint metadata, writes exactly
/// one ticket per attempt, SUCCESS for a valid request and FAILED for an invalid one. An endpoint without a
/// registered case fails the test by name, so a new endpoint cannot ship unaudited.
/// </summary>
public sealed partial class AuditCoverageTests(CoverageAppFactory app) : IClassFixture<CoverageAppFactory>
{
    private static readonly HashSet<string> MutatingMethods = ["POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Prepares whatever the attempt needs (writing tickets of its own), then returns the attempt itself.</summary>
    private delegate Task<Func<Task<HttpResponseMessage>>> Prepare(HttpClient admin);

    /// <summary>A null <see cref="Invalid"/>: the endpoint takes no input, so its only refusal is the 401 of a missing session.</summary>
    private sealed record Case(Prepare Valid, Prepare? Invalid, string? ValidActionType = null, string? InvalidActionType = null);

    [Fact]
    public async Task Every_mutating_api_endpoint_writes_exactly_one_ticket_per_valid_and_invalid_attempt()
    {
        var cases = Cases();
        var endpoints = MutatingApiEndpoints();
        Assert.NotEmpty(endpoints);
        var missing = endpoints.Where(e => !cases.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0,
            "Mutating API endpoints without an audit coverage case (add one to AuditCoverageTests.Cases): " + string.Join(", ", missing));
        var stale = cases.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Coverage cases for endpoints that no longer exist: " + string.Join(", ", stale));

        using var admin = await app.CreateAdminClientAsync();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var c = cases[endpoint];
            failures.AddRange(await AttemptAsync(endpoint, "valid", c.Valid, admin, "SUCCESS", c.ValidActionType));
            if (c.Invalid is not null)
            {
                failures.AddRange(await AttemptAsync(endpoint, "invalid", c.Invalid, admin, "FAILED", c.InvalidActionType));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_endpoint_enumeration_sees_the_login_and_the_admin_endpoints()
    {
        var endpoints = MutatingApiEndpoints();

        Assert.Contains("POST /api/v1/auth/login", endpoints);
        Assert.Contains("POST /api/v1/admin/users", endpoints);
        Assert.Contains("DELETE /api/v1/cash-market/orders/{id}", endpoints);
    }

    private List<string> MutatingApiEndpoints()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(MutatingMethods.Contains)
                .Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<List<string>> AttemptAsync(string endpoint, string kind, Prepare prepare, HttpClient admin, string status, string? actionType)
    {
        var send = await prepare(admin);
        var before = await CountAsync();
        using var response = await send();
        var text = await response.Content.ReadAsStringAsync();
        var after = await CountAsync();
        var label = $"{endpoint} ({kind}, HTTP {(int)response.StatusCode})";
        if (after - before != 1)
        {
            return [$"{label}: wrote {after - before} tickets, expected exactly 1. Body: {text}"];
        }

        var newest = await TestDatabase.ScalarAsync<string>(app.Postgres,
            "SELECT ticket_id || '|' || status || '|' || action_type FROM ticket_logs ORDER BY year DESC, number DESC LIMIT 1");
        var parts = newest.Split('|');
        var problems = new List<string>();
        if (parts[1] != status)
        {
            problems.Add($"{label}: ticket {parts[0]} is {parts[1]}, expected {status}");
        }

        if (actionType is not null && parts[2] != actionType)
        {
            problems.Add($"{label}: ticket {parts[0]} is {parts[2]}, expected {actionType}");
        }

        if ((status == "SUCCESS") != response.IsSuccessStatusCode)
        {
            problems.Add($"{label}: unexpected HTTP status for a {kind} request. Body: {text}");
        }

        if (TicketIdOf(text) is { } reported && reported != parts[0])
        {
            problems.Add($"{label}: the response names ticket {reported} but the new ticket is {parts[0]}");
        }

        return problems;
    }

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM ticket_logs");

    private static string? TicketIdOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("ticket_id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Every mutating endpoint's valid and invalid attempt, by path; split by area only to keep each file short.
    private Dictionary<string, Case> Cases() => AccessCases().Concat(MarketCases()).ToDictionary();

    private static Task<Func<Task<HttpResponseMessage>>> Ready(Func<Task<HttpResponseMessage>> send) => Task.FromResult(send);

    private static object NewClientBody(string role) => new
    {
        email = $"cov-{Guid.NewGuid():N}@test.local",
        password = UserFactory.DefaultPassword,
        first_name = "Cover",
        last_name = "Age",
        role,
        entity_name = $"Coverage {Guid.NewGuid():N}",
    };
}
