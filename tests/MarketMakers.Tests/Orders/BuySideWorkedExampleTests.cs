using System.Net;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>Issue 17 "The BUY-side worked example" (SPEC §4b, §3's BUY rows), step by step through the API.</summary>
public sealed class BuySideWorkedExampleTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Fact]
    public async Task Mm_bid_locks_eur_a_client_sell_fills_it_and_cancel_releases_the_rest()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUR = "10000.00" }, "bidder");
        // The client gets its 60 CEA from another Market Maker first.
        var supplier = await MmApi.CreateAsync(admin, new { CEA = "60" }, "supplier");
        using var client = await OrderApi.CreateClientAsync(app, admin, eur: "3600.00");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, supplier, "CEA", "60.00", 60));
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "60.00", 60));

        // 1. The MM bids 100 @ 69.50 with 10,000 EUR: 6,950 moves to locked.
        var bid = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "69.50", 100, "BUY"));
        var bidOrder = bid.GetProperty("order");
        Assert.Equal(("BUY", "OPEN"), (bidOrder.GetProperty("side").GetString(), bidOrder.GetProperty("status").GetString()));
        Assert.Equal((3050m, 6950m, 10000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR"));
        var book = await OrderApi.OkAsync(await app.CreateApiClient().GetAsync("/api/v1/cash-market/orderbook/CEA"));
        Assert.Equal(69.50m, book.Dec("best_bid"));

        // 2. The client sells 60 @ 69.00: it trades at the MM's 69.50.
        var sold = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "SELL", "69.00", 60));
        var trade = Assert.Single(sold.GetProperty("trades").EnumerateArray());
        Assert.Equal((69.50m, 60L), (trade.Dec("price"), trade.GetProperty("quantity").GetInt64()));

        // 3. The MM: +60 CEA, and 4,170 EUR leaves locked (2,780 stay locked for the 40 still bid).
        var balances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((60m, 0m, 60m), OrderApi.Figures(balances, "CEA"));
        Assert.Equal((3050m, 2780m, 5830m), OrderApi.Figures(balances, "EUR"));
        var clientBalances = await OrderApi.OkAsync(await client.Http.GetAsync("/api/v1/cash-market/balances"));
        Assert.Equal((4170m, 0m, 4170m), OrderApi.Figures(clientBalances, "EUR"));

        // 4. Cancel releases 2,780.
        var orderId = bidOrder.GetProperty("id").GetGuid();
        var cancelled = await OrderApi.OkAsync(await admin.DeleteAsync($"{OrderApi.MarketOrders}/{orderId}"));
        Assert.Equal((5830m, 0m, 5830m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR"));
        var cancelTicket = cancelled.GetProperty("ticket_id").GetString()!;
        Assert.Equal(2780m, await TestDatabase.ScalarAsync<decimal>(app.Postgres,
            "SELECT amount FROM asset_transactions WHERE ticket_id = @p0 AND holder_id = @p1 AND asset = 'EUR' AND transaction_type = 'TRADE_CREDIT'",
            cancelTicket, mm));

        // The ledger rows of SPEC §3 for the BUY side: the lock on the order's ticket, the certificates on the trade's.
        var bidTicket = bid.GetProperty("ticket_id").GetString()!;
        Assert.Equal(-6950m, await TestDatabase.ScalarAsync<decimal>(app.Postgres,
            "SELECT amount FROM asset_transactions WHERE ticket_id = @p0 AND transaction_type = 'TRADE_DEBIT'", bidTicket));
        Assert.Equal(60m, await TestDatabase.ScalarAsync<decimal>(app.Postgres,
            "SELECT amount FROM asset_transactions WHERE ticket_id = @p0 AND holder_id = @p1 AND asset = 'CEA'", trade.GetProperty("ticket_id").GetString()!, mm));
        var placedTicket = await TicketAssert.LoadAsync(app.Postgres, bidTicket);
        Assert.Equal(("MM_ORDER_PLACED", "SUCCESS"), (placedTicket.ActionType, placedTicket.Status));
        Assert.Contains("\"BUY\"", placedTicket.RequestPayload!);
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Mm_bid_through_a_cheaper_ask_gets_the_price_improvement_back()
    {
        using var admin = await app.CreateAdminClientAsync();
        var seller = await MmApi.CreateAsync(admin, new { EUA = "10" }, "asker");
        var buyer = await MmApi.CreateAsync(admin, new { EUR = "1000.00" }, "lifter");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, seller, "EUA", "69.00", 10));

        var placed = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, buyer, "EUA", "70.00", 10, "BUY"));

        Assert.Equal("FILLED", placed.GetProperty("order").GetProperty("status").GetString());
        var balances = await OrderApi.BalancesAsync(admin, buyer);
        Assert.Equal((310m, 0m, 310m), OrderApi.Figures(balances, "EUR"));
        Assert.Equal((10m, 0m, 10m), OrderApi.Figures(balances, "EUA"));
        Assert.Equal((690m, 0m, 690m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, seller), "EUR"));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Mm_bid_beyond_available_eur_is_refused_and_changes_nothing()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUR = "100.00" }, "short");
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await OrderApi.PlaceMmAsync(admin, mm, "CEA", "10.01", 10, "BUY");

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "MM_ORDER_PLACED");
        Assert.Contains("Insufficient", ticket.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        Assert.Equal((100m, 0m, 100m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR"));
    }
}
