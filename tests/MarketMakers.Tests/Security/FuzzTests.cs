using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Security;

/// <summary>The app on a database of its own, so the before/after snapshot sees no other test's writes.</summary>
public sealed class FuzzAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("fuzz");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

/// <summary>
/// Generated bad bodies for every POST and PUT endpoint (read from endpoint metadata): wrong JSON types, huge,
/// negative and zero numbers, 10k-character strings, SQL and script fragments, malformed UUIDs and dates, nulls,
/// arrays, empty and invalid JSON, wrong content types. Expected: no 5xx, every refusal has the SPEC §7
/// <c>{detail, ticket_id}</c> body, and nothing changes but FAILED tickets. Seeded, so a failure reproduces.
/// </summary>
public sealed class FuzzTests(FuzzAppFactory app) : IClassFixture<FuzzAppFactory>
{
    private const int Seed = 20261124;
    private const int BodiesPerEndpoint = 30;

    private static readonly string Long = new('x', 10_000);

    /// <summary>Values no strict field (id, enum, email, amount, flag) accepts.</summary>
    private static readonly JsonNode?[] Junk =
    [
        JsonValue.Create(Long), "'; DROP TABLE orders; --", "<script>alert(1)</script>", "1' OR '1'='1", "not-a-uuid",
        "00000000-0000-0000-0000-00000000000G", "2026-13-45T99:99:99Z", "", " ", "\u0000", "NaN", "Infinity",
        JsonValue.Create(true), new JsonArray(1, 2), new JsonObject { ["a"] = 1 },
    ];

    /// <summary>Values no amount accepts (numbers are raw JSON, so 1e400 stays 1e400).</summary>
    private static readonly string[] BadNumbers =
    [
        "1e400", "99999999999999999999999", "-1", "0", "-0.01", "0.001", "1e-400", "\"1e400\"", "\"99999999999999999999999\"",
        "\"-5\"", "\"0\"", "\"12,5\"", "\"1_000\"", "\"0x10\"", "79228162514264337593543950335", "-79228162514264337593543950335",
    ];

    /// <summary>Values no free-text field accepts: wrong types and over-long text.</summary>
    private static readonly JsonNode?[] BadText = [JsonValue.Create(Long), JsonValue.Create(42), JsonValue.Create(false), new JsonArray("a"), new JsonObject()];

    private static readonly (string Body, string ContentType)[] BadBodies =
    [
        ("", "application/json"), ("   ", "application/json"), ("{", "application/json"), ("{\"amount\":", "application/json"),
        ("null", "application/json"), ("[]", "application/json"), ("[{}]", "application/json"), ("42", "application/json"),
        ("\"text\"", "application/json"), ("true", "application/json"), (new string('[', 5000), "application/json"),
        ("{\"a\":" + new string('x', 70_000) + "}", "application/json"), ("amount=1&notes=x", "application/x-www-form-urlencoded"),
        ("<xml/>", "text/xml"), ("{'single':'quotes'}", "application/json"), ("{\"a\":1,}", "application/json"),
    ];

    private enum Kind
    {
        Strict,
        /// <summary>As <see cref="Strict"/>, but leaving it out or null is valid (a filter field), so it is never sent so.</summary>
        Optional,
        Amount,
        Text,
        Map,
    }

    private sealed record Field(string Name, Kind Kind, JsonNode Valid);

    private sealed record Target(string Method, string Pattern, string Role, Field[] Fields);

    private sealed record World(Guid MarketMakerId, Guid ClientUserId);

    /// <summary>Valid templates of the known commands; one field at a time is made invalid. Unknown ones get whole-body junk.</summary>
    private static Field[] Template(string method, string pattern) => (method, pattern) switch
    {
        ("POST", "/api/v1/auth/login") =>
            [new("email", Kind.Strict, "nobody@fuzz.local"), new("password", Kind.Text, "wrong")],
        ("POST", "/api/v1/auth/password") =>
            [new("email", Kind.Strict, "nobody@fuzz.local"), new("password", Kind.Text, "wrong"), new("new_password", Kind.Text, "Changed-Passw0rd-2")],
        ("POST", "/api/v1/admin/market-makers") =>
            [new("name", Kind.Text, "Fuzz MM"), new("email", Kind.Strict, "fuzz-mm@fuzz.local"), new("description", Kind.Text, "d"),
             new("initial_balances", Kind.Map, new JsonObject { ["CEA"] = "10" })],
        ("PUT", "/api/v1/admin/market-makers/{id}") =>
            [new("name", Kind.Text, "Renamed"), new("description", Kind.Text, "d"), new("is_active", Kind.Strict, true)],
        ("POST", "/api/v1/admin/market-makers/{id}/transactions") =>
            [new("certificate_type", Kind.Strict, "EUR"), new("transaction_type", Kind.Strict, "DEPOSIT"), new("amount", Kind.Amount, "10.00"),
             new("notes", Kind.Text, "n")],
        ("POST", "/api/v1/admin/users") =>
            [new("email", Kind.Strict, "fuzz-client@fuzz.local"), new("password", Kind.Text, UserFactory.DefaultPassword),
             new("first_name", Kind.Text, "F"), new("last_name", Kind.Text, "L"), new("role", Kind.Strict, "FUNDED"),
             new("entity_name", Kind.Text, "Fuzz Entity")],
        ("POST", "/api/v1/admin/users/{id}/deposits") => [new("amount", Kind.Amount, "10.00"), new("notes", Kind.Text, "n")],
        ("POST", "/api/v1/admin/market-orders") =>
            [new("market_maker_id", Kind.Strict, "{mm}"), new("certificate_type", Kind.Strict, "CEA"), new("side", Kind.Strict, "SELL"),
             new("order_type", Kind.Strict, "LIMIT"), new("price", Kind.Amount, "10.00"), new("quantity", Kind.Amount, "1")],
        ("POST", "/api/v1/admin/market-orders/cancel-all") =>
            [new("market_maker_id", Kind.Optional, "{mm}"), new("certificate_type", Kind.Optional, "CEA"), new("side", Kind.Optional, "SELL")],
        ("POST", "/api/v1/cash-market/orders") =>
            [new("certificate_type", Kind.Strict, "CEA"), new("side", Kind.Strict, "BUY"), new("order_type", Kind.Strict, "LIMIT"),
             new("price", Kind.Amount, "0.01"), new("quantity", Kind.Amount, "1")],
        _ => [],
    };

    private IReadOnlyList<Target> Targets() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Logout reads no body and ends the fuzzing session itself; SessionRevocationTests cover it.
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase) && !raw.EndsWith("/auth/logout", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT")
                .Select(m => new Target(m, e.RoutePattern.RawText!,
                    e.RoutePattern.RawText!.StartsWith("/api/v1/cash-market", StringComparison.Ordinal) ? Roles.Funded : Roles.Admin,
                    Template(m, e.RoutePattern.RawText!))))
            .DistinctBy(t => (t.Method, t.Pattern))
            .OrderBy(t => t.Pattern).ThenBy(t => t.Method)
            .ToList();

    /// <summary>What a refused request must not change: everything but tickets, and no SUCCESS ticket either.</summary>
    private Task<string> SnapshotAsync() => TestDatabase.ScalarAsync<string>(app.Postgres, """
        SELECT concat_ws('|',
            (SELECT count(*) FROM users), (SELECT count(*) FROM market_maker_clients), (SELECT count(*) FROM holders),
            (SELECT coalesce(string_agg(holder_id::text || asset || available || '/' || locked, ',' ORDER BY holder_id, asset), '') FROM balances),
            (SELECT count(*) FROM asset_transactions), (SELECT count(*) FROM orders),
            (SELECT coalesce(string_agg(id::text || status || filled_quantity, ',' ORDER BY id), '') FROM orders),
            (SELECT count(*) FROM cash_market_trades), (SELECT count(*) FROM idempotency_keys),
            (SELECT coalesce(string_agg(name || coalesce(description, '') || is_active, ',' ORDER BY id), '') FROM market_maker_clients),
            (SELECT count(*) FROM ticket_logs WHERE status = 'SUCCESS'))
        """);

    private async Task<World> SeedAsync(HttpClient admin)
    {
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000", EUR = "5000.00" }, tag: "fuzz");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "50.00", "10"));
        var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        return new World(mm, client.UserId);
    }

    private static string Path(Target target, World world) => target.Pattern switch
    {
        var p when p.StartsWith("/api/v1/admin/market-makers/{id}", StringComparison.Ordinal) => p.Replace("{id}", world.MarketMakerId.ToString()),
        var p when p.StartsWith("/api/v1/admin/users/{id}", StringComparison.Ordinal) => p.Replace("{id}", world.ClientUserId.ToString()),
        var p => AuthorizationMatrixTests.Fill(p),
    };

    /// <summary>Up to <see cref="BodiesPerEndpoint"/> bodies: all whole-body junk, then one-field mutations of the template.</summary>
    private static List<(string Body, string ContentType)> Bodies(Target target, World world, Random random)
    {
        var bodies = new List<(string, string)>(BadBodies);
        if (target.Fields.Length == 0)
        {
            return bodies;
        }

        var mutations = new List<(Field Field, string Raw)>();
        foreach (var field in target.Fields)
        {
            IEnumerable<string> values = field.Kind switch
            {
                Kind.Strict or Kind.Optional => Junk.Select(j => j?.ToJsonString() ?? "null"),
                Kind.Amount => BadNumbers.Concat(Junk.Select(j => j!.ToJsonString())),
                Kind.Text => BadText.Select(j => j!.ToJsonString()),
                Kind.Map => BadNumbers.Select(n => $"{{\"CEA\":{n}}}").Concat(["{\"XXX\":\"1\"}", "{\"CEA\":\"2.5\"}", "[\"CEA\"]", "\"CEA\"", "{\"'; DROP TABLE orders; --\":\"1\"}"]),
                _ => [],
            };
            mutations.AddRange(values.Select(v => (field, v)));
        }

        // Required strict fields may also be missing or null.
        mutations.AddRange(target.Fields.Where(f => f.Kind is Kind.Strict or Kind.Amount && f.Name != "is_active").Select(f => (f, "null")));
        mutations.AddRange(target.Fields.Where(f => f.Kind is Kind.Strict or Kind.Amount && f.Name != "is_active").Select(f => (f, "<absent>")));

        while (bodies.Count < BodiesPerEndpoint && mutations.Count > 0)
        {
            var index = random.Next(mutations.Count);
            var (field, raw) = mutations[index];
            mutations.RemoveAt(index);
            var body = new JsonObject();
            foreach (var f in target.Fields)
            {
                var valid = f.Valid.DeepClone();
                if (valid is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    valid = s.Replace("{mm}", world.MarketMakerId.ToString(), StringComparison.Ordinal)
                        .Replace("@fuzz.local", $"-{random.Next():x}@fuzz.local", StringComparison.Ordinal);
                }

                if (f != field)
                {
                    body[f.Name] = valid;
                }
                else if (raw != "<absent>")
                {
                    body[f.Name] = JsonNode.Parse(raw);
                }
            }

            // A parsed number keeps its literal text, so 1e400 is sent as 1e400.
            bodies.Add((body.ToJsonString(), "application/json"));
        }

        return bodies;
    }

    [Fact]
    public async Task Fuzzed_bodies_for_every_post_and_put_never_5xx_always_carry_a_ticket_and_change_nothing()
    {
        using var admin = await app.CreateAdminClientAsync();
        var world = await SeedAsync(admin);
        var funded = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        var random = new Random(Seed);
        var targets = Targets();
        Assert.Contains(targets, t => t.Pattern == "/api/v1/admin/market-makers/{id}/transactions");
        Assert.Contains(targets, t => t.Pattern == "/api/v1/cash-market/orders");
        var before = await SnapshotAsync();
        var failures = new StringBuilder();
        var sent = 0;

        foreach (var target in targets)
        {
            var client = target.Role == Roles.Funded ? funded.Http : admin;
            var path = Path(target, world);
            foreach (var (body, contentType) in Bodies(target, world, random))
            {
                using var request = new HttpRequestMessage(new HttpMethod(target.Method), path)
                {
                    Content = new StringContent(body, Encoding.UTF8, contentType),
                };
                using var response = await client.SendAsync(request);
                sent++;
                var text = await response.Content.ReadAsStringAsync();
                var problem = Check(response, text);
                if (problem is not null)
                {
                    failures.AppendLine($"{target.Method} {path} [{(body.Length > 120 ? body[..120] + "…" : body)}] ({contentType}): {(int)response.StatusCode} {problem}: {(text.Length > 300 ? text[..300] : text)}");
                }
            }
        }

        var after = await SnapshotAsync();
        Assert.True(failures.Length == 0, $"{sent} fuzzed requests to {targets.Count} endpoints:\n{failures}");
        Assert.Equal(before, after);
        funded.Dispose();
    }

    private static string? Check(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "server error";
        }

        if (status < 300)
        {
            return "a fuzzed body was accepted";
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                   && root.TryGetProperty("ticket_id", out var ticket) && ticket.ValueKind == JsonValueKind.String
                   && ticket.GetString()!.StartsWith("TKT-", StringComparison.Ordinal)
                ? null
                : "error body lacks detail or ticket_id";
        }
        catch (JsonException)
        {
            return "error body is not JSON";
        }
    }
}
