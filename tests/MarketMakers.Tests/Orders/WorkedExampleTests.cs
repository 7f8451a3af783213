using System.Net;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>Issue 4 "The worked example", step by step through the API, with its tickets and ledger rows.</summary>
public sealed class WorkedExampleTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Fact]
    public async Task Mm_sell_buyer_fill_and_cancel_settle_both_ledgers_with_their_tickets()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000" }, "worked");

        // 1. The admin SELLs 300 @ 70.00 for the MM: 700 available, 300 locked, 1000 total.
        var placed = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "70.00", 300));
        var sellTicket = placed.GetProperty("ticket_id").GetString()!;
        var sellOrder = placed.GetProperty("order");
        var sellOrderId = sellOrder.GetProperty("id").GetGuid();
        Assert.Equal(("OPEN", 0L), (sellOrder.GetProperty("status").GetString(), sellOrder.GetProperty("filled_quantity").GetInt64()));
        Assert.Equal((700m, 300m, 1000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "CEA"));
        var book = await OrderApi.OkAsync(await app.CreateApiClient().GetAsync("/api/v1/cash-market/orderbook/CEA"));
        Assert.Equal(70m, book.Dec("best_ask"));
        var ask = book.GetProperty("asks")[0];
        Assert.Equal((70m, 300L, 1, 300L), (ask.Dec("price"), ask.GetProperty("quantity").GetInt64(), ask.GetProperty("order_count").GetInt32(), ask.GetProperty("cumulative_quantity").GetInt64()));

        // 2. A funded buyer BUYs 200 @ 71.00: it trades at 70.00.
        using var buyer = await OrderApi.CreateClientAsync(app, admin, eur: "20000.00");
        var bought = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(buyer.Http, "CEA", "BUY", "71.00", 200));
        var buyTicket = bought.GetProperty("ticket_id").GetString()!;
        var buyOrder = bought.GetProperty("order");
        Assert.Equal(("FILLED", 200L), (buyOrder.GetProperty("status").GetString(), buyOrder.GetProperty("filled_quantity").GetInt64()));
        var trade = Assert.Single(bought.GetProperty("trades").EnumerateArray());
        Assert.Equal((70m, 200L), (trade.Dec("price"), trade.GetProperty("quantity").GetInt64()));
        var tradeTicket = trade.GetProperty("ticket_id").GetString()!;

        // 3. MM: CEA 700 / 100 / 800 and EUR +14,000.00.
        var mmBalances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((700m, 100m, 800m), OrderApi.Figures(mmBalances, "CEA"));
        Assert.Equal((14000m, 0m, 14000m), OrderApi.Figures(mmBalances, "EUR"));

        // 4. Buyer: +200 CEA; EUR lock released, with the 1.00 × 200 improvement back in available.
        var buyerBalances = await OrderApi.OkAsync(await buyer.Http.GetAsync("/api/v1/cash-market/balances"));
        Assert.Equal((200m, 0m, 200m), OrderApi.Figures(buyerBalances, "CEA"));
        Assert.Equal((6000m, 0m, 6000m), OrderApi.Figures(buyerBalances, "EUR"));

        // 5. Cancelling the rest: MM 800 available, 0 locked, 800 total.
        var cancelled = await OrderApi.OkAsync(await admin.DeleteAsync($"{OrderApi.MarketOrders}/{sellOrderId}"));
        Assert.True(cancelled.GetProperty("success").GetBoolean());
        var cancelTicket = cancelled.GetProperty("ticket_id").GetString()!;
        Assert.Equal((800m, 0m, 800m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "CEA"));
        var list = await OrderApi.OkAsync(await admin.GetAsync($"{OrderApi.MarketOrders}?market_maker_id={mm}"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var listed = list.GetProperty("orders")[0];
        Assert.Equal(("CANCELLED", 200L), (listed.GetProperty("status").GetString(), listed.GetProperty("filled_quantity").GetInt64()));

        // 6. Every step has its tickets, and every ledger row names the ticket that caused it.
        var sell = await TicketAssert.LoadAsync(app.Postgres, sellTicket);
        Assert.Equal(("MM_ORDER_PLACED", "SUCCESS"), (sell.ActionType, sell.Status));
        var buy = await TicketAssert.LoadAsync(app.Postgres, buyTicket);
        Assert.Equal(("ORDER_PLACED", "SUCCESS"), (buy.ActionType, buy.Status));
        var executed = await TicketAssert.LoadAsync(app.Postgres, tradeTicket);
        Assert.Equal(("TRADE_EXECUTED", "SUCCESS"), (executed.ActionType, executed.Status));
        Assert.Equal(new[] { buyTicket, sellTicket }, executed.RelatedTicketIds);
        Assert.Contains(mm.ToString(), executed.AfterState);
        Assert.Contains(buyer.EntityId.ToString(), executed.AfterState);
        var cancel = await TicketAssert.LoadAsync(app.Postgres, cancelTicket);
        Assert.Equal(("MM_ORDER_CANCELLED", "SUCCESS"), (cancel.ActionType, cancel.Status));
        Assert.Contains(sellTicket, cancel.RelatedTicketIds);

        var rows = await LedgerRowsAsync(mm, buyer.EntityId);
        Assert.Equal(
            new[]
            {
                (sellTicket, mm, "CEA", "TRADE_DEBIT", -300m),
                (buyTicket, buyer.EntityId, "EUR", "TRADE_DEBIT", -14200m),
            },
            rows.Take(2));
        Assert.Equal(
            new[]
            {
                (tradeTicket, buyer.EntityId, "CEA", "TRADE_CREDIT", 200m),
                (tradeTicket, buyer.EntityId, "EUR", "TRADE_CREDIT", 200m),
                (tradeTicket, mm, "EUR", "TRADE_CREDIT", 14000m),
            }.OrderBy(r => r.ToString()),
            rows.Skip(2).Take(3).OrderBy(r => r.ToString()));
        Assert.Equal((cancelTicket, mm, "CEA", "TRADE_CREDIT", 100m), rows[5]);
        Assert.Equal(6, rows.Count);

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM cash_market_trades WHERE ticket_id = @p0 AND sell_order_id = @p1 AND market_maker_id = @p2", tradeTicket, sellOrderId, mm));
        var after = await OrderApi.OkAsync(await admin.GetAsync("/api/v1/admin/market-orders/orderbook?certificate_type=CEA"));
        Assert.Equal(0, after.GetProperty("asks").GetArrayLength());
        Assert.Equal(70m, after.Dec("last_price"));
        Assert.Equal(200L, after.GetProperty("volume_24h").GetInt64());
        var mmView = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}"));
        Assert.Equal((1, 1), (mmView.GetProperty("total_orders").GetInt32(), mmView.GetProperty("total_trades").GetInt32()));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Self_trade_prevention_cancels_the_remainder_and_releases_its_lock()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var trader = await OrderApi.CreateClientAsync(app, admin, eur: "10000.00");
        using var other = await OrderApi.CreateClientAsync(app, admin, eur: "10000.00");
        // The trader buys 10 EUA from an MM, rests a SELL, then BUYs through its own ask after another seller's.
        var mm = await MmApi.CreateAsync(admin, new { EUA = "100" }, "stp");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "EUA", "50.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(trader.Http, "EUA", "BUY", "50.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(trader.Http, "EUA", "SELL", "60.00", 10));
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "EUA", "55.00", 5));

        var response = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(trader.Http, "EUA", "BUY", "61.00", 20));

        var order = response.GetProperty("order");
        Assert.Equal(("CANCELLED", 5L), (order.GetProperty("status").GetString(), order.GetProperty("filled_quantity").GetInt64()));
        Assert.Contains("own resting order", order.GetProperty("cancel_reason").GetString());
        var balances = await OrderApi.OkAsync(await trader.Http.GetAsync("/api/v1/cash-market/balances"));
        // 10000 − 500 (first buy) − 275 (5 @ 55) = 9225 available, nothing locked in EUR; 10 EUA locked in the ask, 5 bought.
        Assert.Equal((9225m, 0m, 9225m), OrderApi.Figures(balances, "EUR"));
        Assert.Equal((5m, 10m, 15m), OrderApi.Figures(balances, "EUA"));
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/api/v1/cash-market/orders")).StatusCode);
        await OrderApi.AssertReconciledAsync(admin);
    }

    private async Task<List<(string, Guid, string, string, decimal)>> LedgerRowsAsync(Guid mm, Guid buyer)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.Postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT ticket_id, holder_id, asset, transaction_type, amount FROM asset_transactions
            WHERE holder_id IN (@mm, @buyer) AND transaction_type IN ('TRADE_DEBIT', 'TRADE_CREDIT') ORDER BY id
            """, conn);
        cmd.Parameters.AddWithValue("mm", mm);
        cmd.Parameters.AddWithValue("buyer", buyer);
        var rows = new List<(string, Guid, string, string, decimal)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add((r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetDecimal(4)));
        }

        return rows;
    }
}
