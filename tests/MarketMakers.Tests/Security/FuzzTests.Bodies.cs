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

/// <summary>What is fuzzed: a valid template per known command, and the junk and one-field mutations made of it.</summary>
public sealed partial class FuzzTests
{
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
}
