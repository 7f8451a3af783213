using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>A client user created through the API, with its bearer client.</summary>
public sealed record TestClient(Guid UserId, Guid EntityId, string Email, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>Drives the order, client and cash-market API as a client would.</summary>
public static class OrderApi
{
    public const string MarketOrders = "/api/v1/admin/market-orders";
    public const string CashOrders = "/api/v1/cash-market/orders";
    public const string Users = "/api/v1/admin/users";

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<TestClient> CreateClientAsync(AppFactory app, HttpClient admin, string role = Roles.Funded, string? eur = null)
    {
        var email = $"client-{Guid.NewGuid():N}@test.local";
        var created = await OkAsync(await admin.PostAsJsonAsync(Users, new
        {
            email,
            password = UserFactory.DefaultPassword,
            first_name = "Test",
            last_name = "Buyer",
            role,
            entity_name = $"Entity {Guid.NewGuid():N}",
        }));
        var user = created.GetProperty("user");
        var id = user.GetProperty("id").GetGuid();
        if (eur is not null)
        {
            await OkAsync(await admin.PostAsJsonAsync($"{Users}/{id}/deposits", new { amount = eur, notes = "funding" }));
        }

        var token = await app.LoginAsync(email, UserFactory.DefaultPassword);
        return new TestClient(id, user.GetProperty("entity_id").GetGuid(), email, app.CreateApiClient(token));
    }

    public static Task<HttpResponseMessage> PlaceMmAsync(HttpClient admin, Guid mm, string ct, object price, object quantity, string side = "SELL") =>
        admin.PostAsJsonAsync(MarketOrders, new { market_maker_id = mm, certificate_type = ct, side, order_type = "LIMIT", price, quantity });

    public static Task<HttpResponseMessage> PlaceClientAsync(HttpClient client, string ct, string side, object price, object quantity) =>
        client.PostAsJsonAsync(CashOrders, new { certificate_type = ct, side, order_type = "LIMIT", price, quantity });

    public static async Task<JsonElement> BalancesAsync(HttpClient admin, Guid mm) =>
        await OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/balances"));

    public static (decimal Available, decimal Locked, decimal Total) Figures(JsonElement balances, string asset)
    {
        var b = balances.GetProperty(asset);
        return (b.Dec("available"), b.Dec("locked"), b.Dec("total"));
    }

    /// <summary>The book, open orders and every holder's balances and ledger length: what a refused action must not change.</summary>
    public static Task<string> MarketStateAsync(string postgres) => TestDatabase.ScalarAsync<string>(postgres, """
        SELECT coalesce((SELECT string_agg(id::text || status || filled_quantity, ',' ORDER BY id) FROM orders), '') || '|' ||
               coalesce((SELECT string_agg(holder_id::text || asset || available || '/' || locked, ',' ORDER BY holder_id, asset) FROM balances), '') || '|' ||
               (SELECT count(*) FROM asset_transactions) || '|' || (SELECT count(*) FROM cash_market_trades)
        """);

    public static async Task AssertReconciledAsync(HttpClient admin)
    {
        var report = await OkAsync(await admin.GetAsync("/api/v1/admin/reconciliation"));
        Assert.True(report.GetProperty("mismatches").GetArrayLength() == 0, $"reconciliation: {report}");
    }
}
