using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Risk;

/// <summary>The web app on a database of its own: a halt or a limit must never reach another test class's orders.</summary>
public sealed class RiskAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("risk");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

/// <summary>Drives the markets endpoints (SPEC §4a) as a desk would.</summary>
public static class RiskApi
{
    public const string Markets = "/api/v1/admin/markets";

    public static Task<HttpResponseMessage> SetLimitsAsync(
        HttpClient admin, string ct, object collarPct, object? reference, object maxQuantity, object maxNotional) =>
        admin.PutAsJsonAsync($"{Markets}/{ct}/limits", new
        {
            price_collar_pct = collarPct,
            reference_price = reference,
            max_order_quantity = maxQuantity,
            max_order_notional = maxNotional,
        });

    public static Task<HttpResponseMessage> HaltAsync(HttpClient desk, string ct, string reason = "Bad price feed") =>
        desk.PostAsJsonAsync($"{Markets}/{ct}/halt", new { reason });

    public static Task<HttpResponseMessage> ResumeAsync(HttpClient admin, string ct, string reason = "Feed fixed") =>
        admin.PostAsJsonAsync($"{Markets}/{ct}/resume", new { reason });

    public static async Task<JsonElement> MarketAsync(HttpClient staff, string ct)
    {
        var list = await OrderApi.OkAsync(await staff.GetAsync(Markets));
        return list.EnumerateArray().Single(m => m.GetProperty("certificate_type").GetString() == ct);
    }
}
