using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>Issue 17 "Owner groups" (SPEC §4b): two MMs of one group never trade with each other, and are told why.</summary>
public sealed class OwnerGroupTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Fact]
    public async Task Two_mms_of_one_group_never_trade_with_each_other_but_trade_with_another_group()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (a, aName) = await CreateAsync(admin, "  Acme Holdings  ", new { EUA = "100" });
        var (b, _) = await CreateAsync(admin, "Acme Holdings", new { EUR = "10000.00", EUA = "100" });
        var (c, _) = await CreateAsync(admin, "Other Owner", new { EUR = "10000.00" });
        var ask = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, a, "EUA", "50.00", 10));
        var askId = ask.GetProperty("order").GetProperty("id").GetGuid();

        // B, of A's group, bids through A's ask: nothing trades, B's remainder is cancelled, its EUR lock released.
        var blocked = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, b, "EUA", "51.00", 10, "BUY"));
        var order = blocked.GetProperty("order");
        Assert.Equal(("CANCELLED", 0L), (order.GetProperty("status").GetString(), order.GetProperty("filled_quantity").GetInt64()));
        Assert.Equal(0, blocked.GetProperty("trades").GetArrayLength());
        var reason = order.GetProperty("cancel_reason").GetString()!;
        Assert.Contains($"it would have traded with {aName}, a Market Maker of the same owner group", reason);
        Assert.Contains("(wash-trade prevention)", reason);
        Assert.Equal((10000m, 0m, 10000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, b), "EUR"));

        // Nor does a SELL of B meet a resting bid of A's group the other way round: A bids, B sells into it.
        await MmApi.TransactAsync(admin, a, "EUR", "DEPOSIT", "1000.00");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, a, "EUA", "40.00", 5, "BUY"));
        var sell = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, b, "EUA", "40.00", 5));
        Assert.Equal("CANCELLED", sell.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal((100m, 0m, 100m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, b), "EUA"));

        // C, of another group, lifts A's ask.
        var lifted = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, c, "EUA", "51.00", 10, "BUY"));
        Assert.Equal("FILLED", lifted.GetProperty("order").GetProperty("status").GetString());
        var trade = Assert.Single(lifted.GetProperty("trades").EnumerateArray());
        Assert.Equal(50m, trade.Dec("price"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM cash_market_trades WHERE (buyer_holder_id = @p0 AND seller_holder_id = @p1) OR (buyer_holder_id = @p1 AND seller_holder_id = @p0)", a, b));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM cash_market_trades WHERE sell_order_id = @p0", askId));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Owner_group_is_set_shown_and_cleared_with_before_and_after_in_the_tickets()
    {
        using var admin = await app.CreateAdminClientAsync();
        var (mm, _) = await CreateAsync(admin, "  Blue Group ", new { EUR = "1.00" });
        var shown = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}"));
        Assert.Equal("Blue Group", shown.GetProperty("owner_group").GetString());

        var renamed = await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { owner_group = "Green Group" }));
        Assert.Equal("Green Group", renamed.GetProperty("market_maker").GetProperty("owner_group").GetString());
        var ticket = await TicketAssert.LoadAsync(app.Postgres, renamed.GetProperty("ticket_id").GetString()!);
        Assert.Equal("MM_UPDATED", ticket.ActionType);
        Assert.Contains("\"owner_group\": \"Blue Group\"", ticket.BeforeState!);
        Assert.Contains("\"owner_group\": \"Green Group\"", ticket.AfterState!);

        // A PUT without owner_group leaves it; an explicit null takes the MM out of its group.
        var untouched = await OrderApi.OkAsync(await admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { description = "still green" }));
        Assert.Equal("Green Group", untouched.GetProperty("market_maker").GetProperty("owner_group").GetString());
        var cleared = await OrderApi.OkAsync(await admin.PutAsync($"{MmApi.Base}/{mm}", JsonContent.Create(JsonDocument.Parse("""{"owner_group": null}""").RootElement)));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("market_maker").GetProperty("owner_group").ValueKind);

        var tooLong = await admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { owner_group = new string('x', 101) });
        await MmApi.AssertRejectedAsync(app.Postgres, tooLong, System.Net.HttpStatusCode.UnprocessableEntity, "MM_UPDATED");
    }

    private static async Task<(Guid Id, string Name)> CreateAsync(HttpClient admin, string group, object balances)
    {
        var name = $"MM group {Guid.NewGuid():N}";
        var created = await OrderApi.OkAsync(await admin.PostAsJsonAsync(MmApi.Base, new
        {
            name,
            email = MmApi.UniqueEmail("group"),
            owner_group = group,
            initial_balances = balances,
        }));
        return (created.GetProperty("market_maker").GetProperty("id").GetGuid(), name);
    }
}
