using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Risk;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;
using static MarketMakers.Tests.Risk.MassCancelApi;

namespace MarketMakers.Tests.Risk;

/// <summary>A deactivation is a kill switch too: the Market Maker's open orders go in the same action.</summary>
public sealed partial class MassCancelApiTests
{
    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task Deactivating_a_market_maker_cancels_its_open_orders_in_the_same_action(string how)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUA = "50" }, "deact");
        var cea = await PlaceAsync(admin, mm, "CEA", "58.00", "6");
        var eua = await PlaceAsync(admin, mm, "EUA", "58.00", "5");

        var response = how == "DELETE"
            ? await admin.DeleteAsync($"{MmApi.Base}/{mm}")
            : await admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { is_active = false });
        var ticketId = (await OrderApi.OkAsync(response)).GetProperty("ticket_id").GetString()!;

        var orders = (await OrdersAsync(app.Postgres, "market_maker_id = @p0", mm)).ToDictionary(o => o.Id);
        Assert.All(orders.Values, o => Assert.Equal("CANCELLED", o.Status));
        var balances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((100m, 0m, 100m), OrderApi.Figures(balances, "CEA"));
        Assert.Equal((50m, 0m, 50m), OrderApi.Figures(balances, "EUA"));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(how == "DELETE" ? "MM_DELETED" : "MM_UPDATED", ticket.ActionType);
        var after = JsonDocument.Parse(ticket.AfterState!).RootElement;
        Assert.False(after.GetProperty("is_active").GetBoolean());
        var cancelled = after.GetProperty("cancelled_orders").EnumerateArray().ToList();
        Assert.Equal([cea, eua], cancelled.Select(c => c.GetProperty("order_id").GetGuid()));
        foreach (var c in cancelled)
        {
            var child = await TicketAssert.LoadAsync(app.Postgres, c.GetProperty("ticket_id").GetString()!);
            Assert.Equal(("MM_ORDER_CANCELLED", "SUCCESS"), (child.ActionType, child.Status));
            Assert.Contains(ticketId, child.RelatedTicketIds);
            Assert.Contains(child.TicketId, ticket.RelatedTicketIds);
        }

        var book = await OrderApi.OkAsync(await admin.GetAsync($"{OrderApi.MarketOrders}/orderbook?certificate_type=CEA"));
        Assert.DoesNotContain(book.GetProperty("asks").EnumerateArray(), l => l.Dec("price") == 58.00m);
        await OrderApi.AssertReconciledAsync(admin);
    }
}
