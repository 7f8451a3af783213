using System.Net;
using System.Net.Http.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Approvals;

/// <summary>With Approvals:Enabled=false (the test default) the movement endpoints execute at once and answer 200 as in SPEC §7.</summary>
public sealed class ApprovalsOffTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Movements_execute_at_once_with_200_and_creation_answers_without_requests()
    {
        using var admin = await app.CreateAdminClientAsync();
        var created = await FourEyesApi.StatusAsync(await admin.PostAsJsonAsync(MmApi.Base, new
        {
            name = $"MM off {Guid.NewGuid():N}", email = MmApi.UniqueEmail("off"), initial_balances = new { CEA = "10" },
        }), HttpStatusCode.OK);
        Assert.Equal(["market_maker", "ticket_id"], created.EnumerateObject().Select(p => p.Name));
        var mm = created.GetProperty("market_maker").GetProperty("id").GetGuid();
        Assert.Equal(10m, created.GetProperty("market_maker").GetProperty("current_balances").GetProperty("CEA").Dec("available"));

        var moved = await FourEyesApi.StatusAsync(await MmApi.TransactAsync(admin, mm, "CEA", "DEPOSIT", "5"), HttpStatusCode.OK);

        Assert.Equal(["transaction", "new_balance", "ticket_id"], moved.EnumerateObject().Select(p => p.Name));
        Assert.Equal(15m, moved.GetProperty("new_balance").Dec("available"));
        Assert.Equal("ASSET_DEPOSIT", (await TicketAssert.LoadAsync(app.Postgres, moved.GetProperty("ticket_id").GetString()!)).ActionType);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM movement_requests WHERE holder_id = @p0", mm));
    }
}
