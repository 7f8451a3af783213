using System.Net;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>
/// Issue 4 "Bad input": each refusal returns the SPEC §7 error body with a stored FAILED ticket, and leaves the
/// book, the trades and every ledger exactly as they were.
/// </summary>
public sealed class OrderBadInputTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Theory]
    [InlineData("0")]
    [InlineData("-70.00")]
    public Task Price_of_zero_or_less_is_refused(string price) =>
        AssertMmOrderRefusedAsync("CEA", "SELL", price, "10", HttpStatusCode.UnprocessableEntity);

    [Fact]
    public Task Price_off_the_tick_is_refused() =>
        AssertMmOrderRefusedAsync("CEA", "SELL", "70.001", "10", HttpStatusCode.UnprocessableEntity);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public Task Quantity_of_zero_or_less_is_refused(string quantity) =>
        AssertMmOrderRefusedAsync("CEA", "SELL", "70.00", quantity, HttpStatusCode.UnprocessableEntity);

    [Fact]
    public Task Fractional_quantity_is_refused() =>
        AssertMmOrderRefusedAsync("CEA", "SELL", "70.00", "1.5", HttpStatusCode.UnprocessableEntity);

    [Fact]
    public Task Mm_buy_beyond_available_eur_is_refused() =>
        AssertMmOrderRefusedAsync("CEA", "BUY", "70.00", "10", HttpStatusCode.BadRequest, "Insufficient");

    [Fact]
    public Task Unknown_certificate_type_is_refused() =>
        AssertMmOrderRefusedAsync("XYZ", "SELL", "70.00", "10", HttpStatusCode.UnprocessableEntity);

    [Fact]
    public Task Mm_sell_beyond_available_is_refused() =>
        AssertMmOrderRefusedAsync("CEA", "SELL", "70.00", "1001", HttpStatusCode.BadRequest, "Insufficient");

    [Fact]
    public async Task Malformed_body_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var before = await OrderApi.MarketStateAsync(app.Postgres);
        var response = await MmApi.PostRawAsync(admin, OrderApi.MarketOrders, "{\"market_maker_id\": 5, \"price\": [}");
        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_ORDER_PLACED");
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
    }

    [Fact]
    public async Task Order_for_an_inactive_market_maker_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000" }, "inactive");
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{MmApi.Base}/{mm}")).StatusCode);
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await OrderApi.PlaceMmAsync(admin, mm, "CEA", "70.00", 10);

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "MM_ORDER_PLACED");
        Assert.Contains("not active", ticket.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
    }

    [Fact]
    public async Task Client_buy_beyond_available_eur_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var buyer = await OrderApi.CreateClientAsync(app, admin, eur: "100.00");
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await OrderApi.PlaceClientAsync(buyer.Http, "EUA", "BUY", "10.01", 10);

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "ORDER_PLACED");
        Assert.Contains("Insufficient", ticket.ResponseData);
        Assert.Equal(buyer.UserId, ticket.UserId);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
    }

    [Fact]
    public async Task Client_sell_of_certificates_not_held_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var seller = await OrderApi.CreateClientAsync(app, admin, eur: "100.00");
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await OrderApi.PlaceClientAsync(seller.Http, "CEA", "SELL", "70.00", 1);

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "ORDER_PLACED");
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
    }

    [Fact]
    public async Task Cancelling_a_filled_order_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUA = "10" }, "filled");
        var sell = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "EUA", "80.00", 10));
        using var buyer = await OrderApi.CreateClientAsync(app, admin, eur: "800.00");
        await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(buyer.Http, "EUA", "BUY", "80.00", 10));
        var orderId = sell.GetProperty("order").GetProperty("id").GetGuid();
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await admin.DeleteAsync($"{OrderApi.MarketOrders}/{orderId}");

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "MM_ORDER_CANCELLED");
        Assert.Contains("FILLED", ticket.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));

        var again = await admin.DeleteAsync($"{OrderApi.MarketOrders}/{orderId}");
        await MmApi.AssertRejectedAsync(app.Postgres, again, HttpStatusCode.BadRequest, "MM_ORDER_CANCELLED");
    }

    [Fact]
    public async Task Cancelling_a_foreign_order_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var owner = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        using var intruder = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        var placed = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(owner.Http, "CEA", "BUY", "1.00", 5));
        var orderId = placed.GetProperty("order").GetProperty("id").GetGuid();
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await intruder.Http.DeleteAsync($"{OrderApi.CashOrders}/{orderId}");

        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.NotFound, "ORDER_CANCELLED");
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));

        // The admin endpoint only cancels Market Maker orders.
        var viaAdmin = await admin.DeleteAsync($"{OrderApi.MarketOrders}/{orderId}");
        await MmApi.AssertRejectedAsync(app.Postgres, viaAdmin, HttpStatusCode.NotFound, "MM_ORDER_CANCELLED");
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));

        var own = await OrderApi.OkAsync(await owner.Http.DeleteAsync($"{OrderApi.CashOrders}/{orderId}"));
        Assert.Equal("ORDER_CANCELLED", (await TicketAssert.LoadAsync(app.Postgres, own.GetProperty("ticket_id").GetString()!)).ActionType);
    }

    [Fact]
    public async Task Malformed_order_id_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var response = await admin.DeleteAsync($"{OrderApi.MarketOrders}/not-a-uuid");
        await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "MM_ORDER_CANCELLED");
    }

    [Fact]
    public async Task Only_funded_users_may_trade_and_reads_need_a_cash_market_role()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var approved = await OrderApi.CreateClientAsync(app, admin, role: "APPROVED", eur: "100.00");
        Assert.Equal(HttpStatusCode.Forbidden, (await OrderApi.PlaceClientAsync(approved.Http, "CEA", "BUY", "1.00", 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await approved.Http.GetAsync("/api/v1/cash-market/balances")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateApiClient().GetAsync("/api/v1/cash-market/balances")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateApiClient().GetAsync("/api/v1/cash-market/orderbook/EUA")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await approved.Http.GetAsync(OrderApi.MarketOrders)).StatusCode);
    }

    private async Task AssertMmOrderRefusedAsync(string ct, string side, string price, string quantity, HttpStatusCode status, string? detail = null)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000" }, "bad");
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var response = await OrderApi.PlaceMmAsync(admin, mm, ct, price, quantity, side);

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, status, "MM_ORDER_PLACED");
        if (detail is not null)
        {
            Assert.Contains(detail, ticket.ResponseData);
        }

        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        Assert.Equal((1000m, 0m, 1000m), OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "CEA"));
    }
}
