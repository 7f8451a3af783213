using System.Net;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Statements;

/// <summary>
/// Issue 17 "Performance": a scripted set of trades gives exact volumes, fill ratio, position and average-cost P&L.
/// MM1 sells 10 @ 50 (short 10 at 50), buys 4 @ 45 (realizes 4 × 5 = 20), buys 8 @ 48 (closes 6: realizes 6 × 2 = 12;
/// opens long 2 at 48); another MM's trade at 52 sets the last price (unrealized 2 × 4 = 8); an unfilled ask of 10
/// makes the fill ratio 22 / 32.
/// </summary>
public sealed class PerformanceTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Fact]
    public async Task Scripted_trades_give_exact_average_cost_figures()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm1 = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "100", ["EUR"] = "10000" }, "perf1");
        var mm2 = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "100" }, "perf2");
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, "10000");

        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm1, "CEA", "50.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "50.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm2, "CEA", "46.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "46.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm1, "CEA", "45.00", 4, "BUY"));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "SELL", "45.00", 4));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm1, "CEA", "48.00", 8, "BUY"));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "SELL", "48.00", 8));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm2, "CEA", "52.00", 1));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "52.00", 1));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm1, "CEA", "60.00", 10));

        var p = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm1}/performance?certificate_type=CEA"));
        Assert.Equal(
            (12L, 10L, 564.00m, 500.00m, 3, 0.6875m, 2L, 48m, 32.00m, 8.00m, 52.00m),
            (p.GetProperty("bought_quantity").GetInt64(), p.GetProperty("sold_quantity").GetInt64(), p.Dec("buy_value"), p.Dec("sell_value"),
             p.GetProperty("trades").GetInt32(), p.Dec("fill_ratio"), p.GetProperty("net_position").GetInt64(), p.Dec("average_cost"),
             p.Dec("realized_pnl"), p.Dec("unrealized_pnl"), p.Dec("last_price")));

        // A window before any trade has none; bad input is 422, an unknown MM 404.
        var none = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm1}/performance?certificate_type=CEA&date_to=2020-01-01T00:00:00Z"));
        Assert.Equal(0, none.GetProperty("trades").GetInt32());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.GetAsync($"{MmApi.Base}/{mm1}/performance?certificate_type=XYZ")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/performance?certificate_type=CEA")).StatusCode);
        await OrderApi.AssertReconciledAsync(admin);
    }
}
