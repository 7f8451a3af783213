using System.Net;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Issue 16 "Market state": an OPERATOR halts with a reason; while HALTED every new order (MM and client) is 409 with
/// a FAILED ticket that says so, and cancels still work; the public book carries the state; only an ADMIN resumes.
/// </summary>
public sealed class MarketHaltApiTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    [Fact]
    public async Task A_halt_refuses_every_new_order_keeps_cancels_working_and_only_an_admin_resumes()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var desk = await app.CreateClientForRoleAsync(Roles.Operator);
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        using var anonymous = app.CreateApiClient();
        var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "1000" }, "halt");
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, "10000");
        var resting = (await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "80.00", 10))).GetProperty("order").GetProperty("id").GetGuid();
        var bid = (await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "79.00", 5))).GetProperty("order").GetProperty("id").GetGuid();

        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.HaltAsync(auditor, "CEA"), HttpStatusCode.Forbidden, ActionTypes.MarketHalted);
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.HaltAsync(desk, "CEA", " "), HttpStatusCode.UnprocessableEntity, ActionTypes.MarketHalted);
        var halted = await OrderApi.OkAsync(await RiskApi.HaltAsync(desk, "CEA", "Bad price feed from the venue"));
        Assert.Equal("HALTED", halted.GetProperty("market").GetProperty("state").GetString());
        var haltTicket = await TicketAssert.LoadAsync(app.Postgres, halted.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("SUCCESS", ActionTypes.MarketHalted, "CEA"), (haltTicket.Status, haltTicket.ActionType, haltTicket.EntityId));
        Assert.Contains("Bad price feed from the venue", haltTicket.RequestPayload);

        // The public book says so, with the reason; EUA trades on.
        var book = await OrderApi.OkAsync(await anonymous.GetAsync("/api/v1/cash-market/orderbook/CEA"));
        Assert.Equal(("HALTED", "Bad price feed from the venue"), (book.GetProperty("state").GetString(), book.GetProperty("halt_reason").GetString()));
        Assert.Equal("OPEN", (await OrderApi.OkAsync(await anonymous.GetAsync("/api/v1/cash-market/orderbook/EUA"))).GetProperty("state").GetString());

        var before = await OrderApi.MarketStateAsync(app.Postgres);
        var mmRefused = await MmApi.AssertRejectedAsync(app.Postgres, await OrderApi.PlaceMmAsync(admin, mm, "CEA", "81.00", 1), HttpStatusCode.Conflict, ActionTypes.MmOrderPlaced);
        var clientRefused = await MmApi.AssertRejectedAsync(app.Postgres, await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "80.00", 1), HttpStatusCode.Conflict, ActionTypes.OrderPlaced);
        Assert.All(new[] { mmRefused, clientRefused }, t => Assert.Contains("CEA market is HALTED", t.ResponseData));
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "EUA", "BUY", "60.00", 1));

        // Cancels still work during the halt: the desk can pull quotes, a client can pull a bid.
        await OrderApi.OkAsync(await admin.DeleteAsync($"{OrderApi.MarketOrders}/{resting}"));
        await OrderApi.OkAsync(await client.Http.DeleteAsync($"{OrderApi.CashOrders}/{bid}"));

        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.HaltAsync(desk, "CEA"), HttpStatusCode.Conflict, ActionTypes.MarketHalted);
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.ResumeAsync(desk, "CEA"), HttpStatusCode.Forbidden, ActionTypes.MarketResumed);
        var resumed = await OrderApi.OkAsync(await RiskApi.ResumeAsync(admin, "CEA", "Feed verified"));
        Assert.Equal("OPEN", resumed.GetProperty("market").GetProperty("state").GetString());
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "81.00", 1));
        await MmApi.AssertRejectedAsync(app.Postgres, await RiskApi.ResumeAsync(admin, "CEA"), HttpStatusCode.Conflict, ActionTypes.MarketResumed);
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task The_markets_list_shows_state_reason_limits_and_prices_to_every_staff_role()
    {
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        var markets = await OrderApi.OkAsync(await auditor.GetAsync(RiskApi.Markets));
        Assert.Equal(["CEA", "EUA"], markets.EnumerateArray().Select(m => m.GetProperty("certificate_type").GetString()!).ToArray());
        foreach (var m in markets.EnumerateArray())
        {
            foreach (var field in new[] { "state", "reason", "changed_at", "reference_price", "last_price", "limits" })
            {
                Assert.True(m.TryGetProperty(field, out _), $"market without {field}: {m}");
            }

            foreach (var field in new[] { "price_collar_pct", "reference_price", "max_order_quantity", "max_order_notional" })
            {
                Assert.True(m.GetProperty("limits").TryGetProperty(field, out _), $"limits without {field}: {m}");
            }
        }
    }
}
