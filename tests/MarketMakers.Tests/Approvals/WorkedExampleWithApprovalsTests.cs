using System.Net;
using System.Net.Http.Json;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using static MarketMakers.Tests.Approvals.FourEyesApi;

namespace MarketMakers.Tests.Approvals;

/// <summary>The SPEC §3/§4 worked example with four-eyes on: every funding is requested, approved by a second admin, and the example balances as before.</summary>
public sealed class WorkedExampleWithApprovalsTests(ApprovalsAppFactory app) : IClassFixture<ApprovalsAppFactory>
{
    [Fact]
    public async Task Worked_example_balances_after_request_and_approval_by_a_second_admin()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();

        // The MM's 1000 CEA are requested at creation; nothing is there until the second admin approves.
        var created = await StatusAsync(await admin.Http.PostAsJsonAsync(MmApi.Base, new
        {
            name = $"MM worked {Guid.NewGuid():N}", email = MmApi.UniqueEmail("worked4"), initial_balances = new { CEA = "1000" },
        }), HttpStatusCode.OK);
        var mm = created.GetProperty("market_maker").GetProperty("id").GetGuid();
        var request = Assert.Single(created.GetProperty("requests").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal((0m, 0m, 0m), OrderApi.Figures(await OrderApi.BalancesAsync(admin.Http, mm), "CEA"));
        await StatusAsync(await ApproveAsync(second.Http, request), HttpStatusCode.OK);
        Assert.Equal((1000m, 0m, 1000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin.Http, mm), "CEA"));

        // The buyer's 20,000.00 EUR likewise.
        using var buyer = await OrderApi.CreateClientAsync(app, admin.Http);
        var deposit = await StatusAsync(await admin.Http.PostAsJsonAsync($"{OrderApi.Users}/{buyer.UserId}/deposits", new { amount = "20000.00" }), HttpStatusCode.Accepted);
        await StatusAsync(await ApproveAsync(second.Http, deposit.GetProperty("request").GetProperty("id").GetGuid()), HttpStatusCode.OK);

        var placed = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin.Http, mm, "CEA", "70.00", 300));
        Assert.Equal((700m, 300m, 1000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin.Http, mm), "CEA"));
        var bought = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(buyer.Http, "CEA", "BUY", "71.00", 200));
        Assert.Equal("FILLED", bought.GetProperty("order").GetProperty("status").GetString());

        var mmBalances = await OrderApi.BalancesAsync(admin.Http, mm);
        Assert.Equal((700m, 100m, 800m), OrderApi.Figures(mmBalances, "CEA"));
        Assert.Equal((14000m, 0m, 14000m), OrderApi.Figures(mmBalances, "EUR"));
        var buyerBalances = await OrderApi.OkAsync(await buyer.Http.GetAsync("/api/v1/cash-market/balances"));
        Assert.Equal((200m, 0m, 200m), OrderApi.Figures(buyerBalances, "CEA"));
        Assert.Equal((6000m, 0m, 6000m), OrderApi.Figures(buyerBalances, "EUR"));

        await OrderApi.OkAsync(await admin.Http.DeleteAsync($"{OrderApi.MarketOrders}/{placed.GetProperty("order").GetProperty("id").GetGuid()}"));
        Assert.Equal((800m, 0m, 800m), OrderApi.Figures(await OrderApi.BalancesAsync(admin.Http, mm), "CEA"));
        await OrderApi.AssertReconciledAsync(admin.Http);
    }
}
