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
public sealed class AuditCoverageTests(CoverageAppFactory app) : IClassFixture<CoverageAppFactory>
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

    private Dictionary<string, Case> Cases() => new()
    {
        ["POST /api/v1/auth/logout"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var signedIn = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));
                return () => signedIn.PostAsync("/api/v1/auth/logout", null);
            },
            null,
            "LOGOUT"),
        ["POST /api/v1/auth/password"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/password",
                    new { email = user.Email, password = UserFactory.DefaultPassword, new_password = "Changed-Passw0rd-2" });
            },
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/password",
                    new { email = user.Email, password = "wrong-password-1", new_password = "Changed-Passw0rd-2" });
            },
            "PASSWORD_CHANGED"),
        ["POST /api/v1/auth/login"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = UserFactory.DefaultPassword });
            },
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-password-1" });
            },
            "LOGIN_SUCCESS",
            "LOGIN_FAILED"),

        ["POST /api/v1/admin/users"] = new(
            admin => Ready(() => admin.PostAsJsonAsync(OrderApi.Users, NewClientBody("FUNDED"))),
            admin => Ready(() => admin.PostAsJsonAsync(OrderApi.Users, NewClientBody("MARKET_MAKER")))),

        ["POST /api/v1/admin/users/{id}/deposits"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin);
                return () => admin.PostAsJsonAsync($"{OrderApi.Users}/{client.UserId}/deposits", new { amount = "100", notes = "coverage" });
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin);
                return () => admin.PostAsJsonAsync($"{OrderApi.Users}/{client.UserId}/deposits", new { amount = "-1" });
            }),

        ["PUT /api/v1/admin/users/{id}"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, Roles.Pending);
                return () => admin.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { role = "APPROVED" });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{OrderApi.Users}/{Guid.NewGuid()}", new { role = "ADMIN" })),
            "USER_ROLE_CHANGED",
            "USER_ROLE_CHANGED"),

        ["POST /api/v1/admin/staff"] = new(
            admin => Ready(() => admin.PostAsJsonAsync("/api/v1/admin/staff", new
            {
                email = $"staff-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "S", last_name = "T", role = "AUDITOR",
            })),
            admin => Ready(() => admin.PostAsJsonAsync("/api/v1/admin/staff", new
            {
                email = $"staff-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "S", last_name = "T", role = "FUNDED",
            })),
            "USER_CREATED",
            "USER_CREATED"),

        ["PUT /api/v1/admin/staff/{id}"] = new(
            async _ =>
            {
                var member = await app.CreateUserAsync(Roles.Operator);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PutAsJsonAsync($"/api/v1/admin/staff/{member.Id}", new { is_active = false });
            },
            async _ =>
            {
                var client = await app.CreateUserAsync(Roles.Funded);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PutAsJsonAsync($"/api/v1/admin/staff/{client.Id}", new { is_active = false });
            },
            "USER_DEACTIVATED",
            "USER_DEACTIVATED"),

        ["POST /api/v1/admin/staff/{id}/reset-two-factor"] = new(
            async _ =>
            {
                var member = await app.CreateUserAsync(Roles.Auditor);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PostAsync($"/api/v1/admin/staff/{member.Id}/reset-two-factor", null);
            },
            admin => Ready(() => admin.PostAsync($"/api/v1/admin/staff/{Guid.NewGuid()}/reset-two-factor", null)),
            "TWO_FACTOR_RESET",
            "TWO_FACTOR_RESET"),

        ["POST /api/v1/admin/market-makers"] = new(
            admin => Ready(() => admin.PostAsJsonAsync(MmApi.Base, new { name = $"MM {Guid.NewGuid():N}", email = MmApi.UniqueEmail("cov"), description = "coverage" })),
            admin => Ready(() => admin.PostAsJsonAsync(MmApi.Base, new { email = MmApi.UniqueEmail("cov") }))),

        ["PUT /api/v1/admin/market-makers/{id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { name = $"Renamed {Guid.NewGuid():N}", description = "renamed" });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{MmApi.Base}/{Guid.NewGuid()}", new { name = "Ghost" }))),

        ["DELETE /api/v1/admin/market-makers/{id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.DeleteAsync($"{MmApi.Base}/{mm}");
            },
            admin => Ready(() => admin.DeleteAsync($"{MmApi.Base}/{Guid.NewGuid()}"))),

        ["PUT /api/v1/admin/market-makers/{id}/obligations/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/obligations/CEA", new { max_spread = 1.5m, min_quantity = 10, min_presence_pct = 90 });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{MmApi.Base}/{Guid.NewGuid()}/obligations/CEA", new { max_spread = 0, min_quantity = 10, min_presence_pct = 90 })),
            "OBLIGATION_CHANGED",
            "OBLIGATION_CHANGED"),

        // An MM with no quotes yet: a replace with no levels (and a pull) writes exactly its QUOTES_REPLACED ticket.
        ["PUT /api/v1/admin/market-makers/{id}/quotes/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/quotes/CEA", new { bids = Array.Empty<object>(), asks = Array.Empty<object>() });
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/quotes/CEA", new { bids = new[] { new { price = "0", quantity = 1 } } });
            },
            "QUOTES_REPLACED",
            "QUOTES_REPLACED"),

        ["DELETE /api/v1/admin/market-makers/{id}/quotes/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.DeleteAsync($"{MmApi.Base}/{mm}/quotes/CEA");
            },
            admin => Ready(() => admin.DeleteAsync($"{MmApi.Base}/{Guid.NewGuid()}/quotes/CEA")),
            "QUOTES_REPLACED",
            "QUOTES_REPLACED"),

        // Each market case sets the state it needs first (its own tickets), so the order of the cases does not matter.
        ["POST /api/v1/admin/markets/{certificate_type}/halt"] = new(
            async admin =>
            {
                await Risk.RiskApi.ResumeAsync(admin, "EUA", "coverage: make sure it is open");
                return () => Risk.RiskApi.HaltAsync(admin, "EUA", "coverage");
            },
            admin => Ready(() => Risk.RiskApi.HaltAsync(admin, "EUA", "")),
            "MARKET_HALTED",
            "MARKET_HALTED"),

        ["POST /api/v1/admin/markets/{certificate_type}/resume"] = new(
            async admin =>
            {
                await Risk.RiskApi.HaltAsync(admin, "EUA", "coverage: make sure it is halted");
                return () => Risk.RiskApi.ResumeAsync(admin, "EUA", "coverage");
            },
            admin => Ready(() => Risk.RiskApi.ResumeAsync(admin, "XYZ", "coverage")),
            "MARKET_RESUMED",
            "MARKET_RESUMED"),

        ["PUT /api/v1/admin/markets/{certificate_type}/limits"] = new(
            admin => Ready(() => Risk.RiskApi.SetLimitsAsync(admin, "EUA", 100, null, 1_000_000_000, "1000000000000.00")),
            admin => Ready(() => Risk.RiskApi.SetLimitsAsync(admin, "EUA", 101, null, 10, "10.00")),
            "RISK_LIMITS_CHANGED",
            "RISK_LIMITS_CHANGED"),

        ["POST /api/v1/admin/approvals/{id}/approve"] = new(
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => admin.PostAsync($"{Approvals.FourEyesApi.Base}/{request}/approve", null);
            },
            admin => Ready(() => admin.PostAsync($"{Approvals.FourEyesApi.Base}/{Guid.NewGuid()}/approve", null)),
            "LEDGER_MOVEMENT_APPROVED",
            "LEDGER_MOVEMENT_APPROVED"),

        ["POST /api/v1/admin/approvals/{id}/reject"] = new(
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => Approvals.FourEyesApi.RejectAsync(admin, request, "coverage");
            },
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => Approvals.FourEyesApi.RejectAsync(admin, request, null);
            },
            "LEDGER_MOVEMENT_REJECTED",
            "LEDGER_MOVEMENT_REJECTED"),

        ["POST /api/v1/admin/market-makers/{id}/transactions"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => MmApi.TransactAsync(admin, mm, "CEA", "DEPOSIT", "10", "coverage");
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => MmApi.TransactAsync(admin, mm, "CEA", "WITHDRAWAL", "10");
            }),

        ["POST /api/v1/admin/market-orders"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                return () => OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "1");
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                return () => OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "0");
            }),

        ["DELETE /api/v1/admin/market-orders/{order_id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                var order = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "1"));
                var id = order.GetProperty("order").GetProperty("id").GetString();
                return () => admin.DeleteAsync($"{OrderApi.MarketOrders}/{id}");
            },
            admin => Ready(() => admin.DeleteAsync($"{OrderApi.MarketOrders}/{Guid.NewGuid()}"))),

        ["POST /api/v1/admin/market-orders/cancel-all"] = new(
            async admin =>
            {
                // One instrument and no open order: exactly its one MASS_CANCEL ticket.
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PostAsJsonAsync($"{OrderApi.MarketOrders}/cancel-all", new { market_maker_id = mm, certificate_type = "CEA" });
            },
            admin => Ready(() => admin.PostAsJsonAsync($"{OrderApi.MarketOrders}/cancel-all", new { side = "HOLD" })),
            "MASS_CANCEL",
            "MASS_CANCEL"),

        ["POST /api/v1/cash-market/orders"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "1");
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "-1");
            }),

        ["DELETE /api/v1/cash-market/orders/{id}"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                var order = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "1"));
                var id = order.GetProperty("order").GetProperty("id").GetString();
                return () => client.Http.DeleteAsync($"{OrderApi.CashOrders}/{id}");
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => client.Http.DeleteAsync($"{OrderApi.CashOrders}/{Guid.NewGuid()}");
            }),
    };

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
