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
public sealed partial class FuzzTests(FuzzAppFactory app) : IClassFixture<FuzzAppFactory>
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
