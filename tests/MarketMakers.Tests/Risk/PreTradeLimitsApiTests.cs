using System.Net;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Issue 16 "Pre-trade limits": every limit at its edge and one tick or unit beyond it, for MM and client orders
/// through the API. A refusal is 422 naming the limit, the allowed range and the value; it leaves the book and every
/// balance unchanged and writes a FAILED ticket.
/// </summary>
public sealed class PreTradeLimitsApiTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    // Collar 10 % around 80.00 allows 72.00 to 88.00; 1,000 certificates; 80,000.00 EUR.
    // Each refusal names the limit with its allowed range, and the value sent.
    private static readonly (decimal Price, long Quantity, string? Refusal)[] Edges =
    [
        (88.00m, 1, null), (88.01m, 1, "Price 88.01 is outside the price collar: allowed 72.00 to 88.00"),
        (72.00m, 1, null), (71.99m, 1, "Price 71.99 is outside the price collar: allowed 72.00 to 88.00"),
        (72.00m, 1000, null), (72.00m, 1001, "Order quantity 1001 exceeds max_order_quantity: allowed 1 to 1000"),
        (80.00m, 1000, null), (80.01m, 1000, "Order notional 80010.00 EUR (1000 × 80.01) exceeds max_order_notional: allowed up to 80000.00 EUR"),
    ];

    [Fact]
    public async Task Market_maker_orders_pass_at_every_limit_and_are_refused_one_tick_or_unit_beyond()
    {
        using var admin = await app.CreateAdminClientAsync();
        await OrderApi.OkAsync(await RiskApi.SetLimitsAsync(admin, "CEA", 10, "80.00", 1000, "80000.00"));
        var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "10000" }, "limits");

        await AssertEdgesAsync((price, quantity) => OrderApi.PlaceMmAsync(admin, mm, "CEA", price, quantity), ActionTypes.MmOrderPlaced);
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Client_orders_pass_at_every_limit_and_are_refused_one_tick_or_unit_beyond()
    {
        using var admin = await app.CreateAdminClientAsync();
        await OrderApi.OkAsync(await RiskApi.SetLimitsAsync(admin, "EUA", 10, "80.00", 1000, "80000.00"));
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, "200000");

        await AssertEdgesAsync((price, quantity) => OrderApi.PlaceClientAsync(client.Http, "EUA", "BUY", price, quantity), ActionTypes.OrderPlaced);
        await OrderApi.AssertReconciledAsync(admin);
    }

    /// <summary>Each edge passes; each step beyond is 422 with the refusal's words, a FAILED ticket, and nothing else changed.</summary>
    private async Task AssertEdgesAsync(Func<string, long, Task<HttpResponseMessage>> place, string actionType)
    {
        foreach (var (price, quantity, refusal) in Edges)
        {
            var before = await OrderApi.MarketStateAsync(app.Postgres);
            var response = await place(price.ToString("0.00"), quantity);
            if (refusal is null)
            {
                await OrderApi.OkAsync(response);
                continue;
            }

            var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, actionType);
            Assert.Contains(refusal, ticket.ResponseData);
            Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        }
    }

    [Fact]
    public async Task A_limits_change_is_admin_only_validated_and_ticketed_with_before_and_after()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var operatorClient = await app.CreateClientForRoleAsync(Roles.Operator);
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.SetLimitsAsync(operatorClient, "EUA", 5, null, 10, "100.00"),
            HttpStatusCode.Forbidden, ActionTypes.RiskLimitsChanged);
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.SetLimitsAsync(admin, "EUA", 0, null, 10, "100.00"),
            HttpStatusCode.UnprocessableEntity, ActionTypes.RiskLimitsChanged);
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.SetLimitsAsync(admin, "XYZ", 5, null, 10, "100.00"),
            HttpStatusCode.UnprocessableEntity, ActionTypes.RiskLimitsChanged);

        var before = await RiskApi.MarketAsync(admin, "EUA");
        var changed = await OrderApi.OkAsync(await RiskApi.SetLimitsAsync(admin, "EUA", "7.5", "70.00", 5000, "350000.00"));
        var limits = changed.GetProperty("market").GetProperty("limits");
        Assert.Equal((7.5m, 70.00m, 5000L, 350000.00m),
            (limits.Dec("price_collar_pct"), limits.Dec("reference_price"), limits.GetProperty("max_order_quantity").GetInt64(), limits.Dec("max_order_notional")));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, changed.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("SUCCESS", ActionTypes.RiskLimitsChanged, "EUA"), (ticket.Status, ticket.ActionType, ticket.EntityId));
        Assert.Contains(before.GetProperty("limits").GetProperty("max_order_quantity").GetInt64().ToString(), ticket.BeforeState);
        Assert.Contains("350000", ticket.AfterState);
        Assert.Equal(5000, (await RiskApi.MarketAsync(operatorClient, "EUA")).GetProperty("limits").GetProperty("max_order_quantity").GetInt64());
    }
}

/// <summary>The collar's reference moves to the last trade price; on a database of its own, since it trades.</summary>
public sealed class PriceCollarReferenceTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    [Fact]
    public async Task After_the_first_trade_the_collar_follows_the_last_trade_price_and_without_any_reference_there_is_none()
    {
        using var admin = await app.CreateAdminClientAsync();
        // No reference and no trade yet: any price goes, as far as the collar is concerned.
        await OrderApi.OkAsync(await RiskApi.SetLimitsAsync(admin, "CEA", 10, null, 100000, "10000000.00"));
        var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "1000" }, "collar");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "500.00", 1));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "50.00", 10));
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, "10000");
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "50.00", 1));

        // The trade at 50.00 is the reference now: 45.00 to 55.00.
        var market = await RiskApi.MarketAsync(admin, "CEA");
        Assert.Equal(50.00m, market.Dec("last_price"));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "55.00", 1));
        var refused = await OrderApi.PlaceMmAsync(admin, mm, "CEA", "55.01", 1);
        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, refused, HttpStatusCode.UnprocessableEntity, ActionTypes.MmOrderPlaced);
        Assert.Contains("allowed 45.00 to 55.00", ticket.ResponseData);
        Assert.Contains("last trade price 50.00", ticket.ResponseData);
        await OrderApi.AssertReconciledAsync(admin);
    }
}
