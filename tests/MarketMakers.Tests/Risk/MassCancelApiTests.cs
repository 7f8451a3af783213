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

/// <summary>
/// The kill switch through the API (SPEC §4a, issue 16): filters, one MASS_CANCEL ticket per instrument linked both
/// ways to each order's own cancel ticket, locks back to available, idempotency, refusals, and an MM's deactivation.
/// </summary>
public sealed partial class MassCancelApiTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    [Fact]
    public async Task Cancel_all_for_one_market_maker_cancels_its_orders_in_both_books_with_linked_tickets_and_releases_its_locks()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUA = "100" }, "kill");
        var other = await MmApi.CreateAsync(admin, new { CEA = "100" }, "other");
        var cea1 = await PlaceAsync(admin, mm, "CEA", "50.00", "10");
        var cea2 = await PlaceAsync(admin, mm, "CEA", "51.00", "5");
        var eua = await PlaceAsync(admin, mm, "EUA", "60.00", "7");
        var kept = await PlaceAsync(admin, other, "CEA", "52.00", "3");

        var body = await OrderApi.OkAsync(await CancelAllAsync(admin, new { market_maker_id = mm }));

        Assert.Equal(3, body.GetProperty("cancelled").GetInt32());
        var ticketIds = body.GetProperty("ticket_ids").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, ticketIds.Count);
        var orders = (await OrdersAsync(app.Postgres, "market_maker_id = ANY(@p0)", new[] { mm, other })).ToDictionary(o => o.Id);
        Assert.All([cea1, cea2, eua], id => Assert.Equal("CANCELLED", orders[id].Status));
        Assert.Equal("OPEN", orders[kept].Status);
        var balances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((100m, 0m, 100m), OrderApi.Figures(balances, "CEA"));
        Assert.Equal((100m, 0m, 100m), OrderApi.Figures(balances, "EUA"));

        // One MASS_CANCEL per instrument, in lock order (CEA, then EUA), each naming the MM, the filter, count and orders.
        var expected = new Dictionary<string, Guid[]> { ["CEA"] = [cea1, cea2], ["EUA"] = [eua] };
        foreach (var (ticketId, certificate) in ticketIds.Zip(["CEA", "EUA"]))
        {
            var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
            Assert.Equal(("MASS_CANCEL", "SUCCESS", certificate), (ticket.ActionType, ticket.Status, ticket.EntityId));
            Assert.Equal(mm, await TicketMarketMakerAsync(app.Postgres, ticketId));
            Assert.Equal(mm, JsonDocument.Parse(ticket.RequestPayload!).RootElement.GetProperty("market_maker_id").GetGuid());
            var after = After(ticket);
            Assert.Equal(expected[certificate].Length, after.GetProperty("count").GetInt32());
            Assert.Equal(expected[certificate], OrderIds(after));
            var children = after.GetProperty("cancelled_ticket_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.Equal(children.Order(), ticket.RelatedTicketIds.Order());
            foreach (var (child, orderId) in children.Zip(expected[certificate]))
            {
                var cancel = await TicketAssert.LoadAsync(app.Postgres, child);
                Assert.Equal(("MM_ORDER_CANCELLED", "SUCCESS", orderId.ToString()), (cancel.ActionType, cancel.Status, cancel.EntityId));
                Assert.Contains(ticketId, cancel.RelatedTicketIds);
                Assert.Contains(orders[orderId].TicketId, cancel.RelatedTicketIds);
            }
        }

        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Cancel_all_for_one_instrument_cancels_market_maker_and_client_orders_of_that_book_only()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUA = "100" }, "book");
        using var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000.00");
        var mmCea = await PlaceAsync(admin, mm, "CEA", "70.00", "4");
        var mmEua = await PlaceAsync(admin, mm, "EUA", "70.00", "4");
        var clientBuy = (await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "20.00", "5"))).GetProperty("order").GetProperty("id").GetGuid();
        var openCea = await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE certificate_type = 'CEA' AND status IN ('OPEN', 'PARTIALLY_FILLED')");

        var body = await OrderApi.OkAsync(await CancelAllAsync(admin, new { certificate_type = "CEA" }));

        Assert.Equal(openCea, body.GetProperty("cancelled").GetInt32());
        var ticketId = Assert.Single(body.GetProperty("ticket_ids").EnumerateArray()).GetString()!;
        var orders = (await OrdersAsync(app.Postgres, "id = ANY(@p0)", new[] { mmCea, mmEua, clientBuy })).ToDictionary(o => o.Id);
        Assert.Equal(("CANCELLED", "CANCELLED", "OPEN"), (orders[mmCea].Status, orders[clientBuy].Status, orders[mmEua].Status));
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE certificate_type = 'CEA' AND status IN ('OPEN', 'PARTIALLY_FILLED')"));
        var clientBalances = await OrderApi.OkAsync(await client.Http.GetAsync("/api/v1/cash-market/balances"));
        Assert.Equal((1000m, 0m, 1000m), OrderApi.Figures(clientBalances, "EUR"));

        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(("MASS_CANCEL", "CEA"), (ticket.ActionType, ticket.EntityId));
        Assert.Null(await TicketMarketMakerAsync(app.Postgres, ticketId));
        var clientCancel = (await TicketAssert.ForEntityAsync(app.Postgres, clientBuy.ToString())).Single(t => t.ActionType == "ORDER_CANCELLED");
        Assert.Contains(ticketId, clientCancel.RelatedTicketIds);
        Assert.Contains(clientCancel.TicketId, ticket.RelatedTicketIds);
        await MassCancelApi.AssertLocksMatchOpenOrdersAsync(app.Postgres, client.EntityId);
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Cancel_all_by_side_leaves_the_other_side_resting()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUA = "100" }, "side");
        using var client = await OrderApi.CreateClientAsync(app, admin, eur: "500.00");
        var sell = await PlaceAsync(admin, mm, "EUA", "90.00", "2");
        var buy = (await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "EUA", "BUY", "10.00", "3"))).GetProperty("order").GetProperty("id").GetGuid();

        var body = await OrderApi.OkAsync(await CancelAllAsync(admin, new { certificate_type = "EUA", side = "BUY" }));

        Assert.True(body.GetProperty("cancelled").GetInt32() >= 1);
        var orders = (await OrdersAsync(app.Postgres, "id = ANY(@p0)", new[] { sell, buy })).ToDictionary(o => o.Id);
        Assert.Equal(("OPEN", "CANCELLED"), (orders[sell].Status, orders[buy].Status));
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(app.Postgres, "SELECT count(*) FROM orders WHERE certificate_type = 'EUA' AND side = 'BUY' AND status IN ('OPEN', 'PARTIALLY_FILLED')"));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task A_pulled_switch_with_nothing_to_cancel_still_writes_one_mass_cancel_ticket_per_instrument()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "idle");

        var body = await OrderApi.OkAsync(await CancelAllAsync(admin, new { market_maker_id = mm }));

        Assert.Equal(0, body.GetProperty("cancelled").GetInt32());
        var tickets = body.GetProperty("ticket_ids").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, tickets.Count);
        foreach (var id in tickets)
        {
            var ticket = await TicketAssert.LoadAsync(app.Postgres, id);
            Assert.Equal(("MASS_CANCEL", "SUCCESS"), (ticket.ActionType, ticket.Status));
            Assert.Equal(0, After(ticket).GetProperty("count").GetInt32());
            Assert.Empty(ticket.RelatedTicketIds);
        }
    }

    [Fact]
    public async Task A_retry_with_the_same_key_replays_the_answer_and_cancels_nothing_more()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUA = "100" }, "retry");
        await PlaceAsync(admin, mm, "CEA", "55.00", "1");
        await PlaceAsync(admin, mm, "EUA", "55.00", "2");
        var key = $"kill-{Guid.NewGuid():N}";

        using var first = await CancelAllAsync(admin, new { market_maker_id = mm }, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        var ticketsAfterFirst = await MassCancelTicketCountAsync(app.Postgres);
        var late = await PlaceAsync(admin, mm, "CEA", "56.00", "1");
        using var retry = await CancelAllAsync(admin, new { market_maker_id = mm }, key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(2, JsonDocument.Parse(firstBody).RootElement.GetProperty("cancelled").GetInt32());
        Assert.Equal(ticketsAfterFirst, await MassCancelTicketCountAsync(app.Postgres));
        Assert.Equal("OPEN", (await OrdersAsync(app.Postgres, "id = @p0", late)).Single().Status);

        using var reused = await CancelAllAsync(admin, new { market_maker_id = mm, side = "SELL" }, key);
        await MmApi.AssertRejectedAsync(app.Postgres, reused, HttpStatusCode.Conflict, "MASS_CANCEL");
        Assert.Equal("OPEN", (await OrdersAsync(app.Postgres, "id = @p0", late)).Single().Status);
    }

    [Fact]
    public async Task A_retry_after_a_sweep_that_stopped_half_way_replays_the_committed_book_and_sweeps_the_rest()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUA = "100" }, "halfway");
        var cea = await PlaceAsync(admin, mm, "CEA", "59.00", "1");
        var eua = await PlaceAsync(admin, mm, "EUA", "59.00", "1");
        var key = new IdempotencyRequest("halfway-test", $"k-{Guid.NewGuid():N}", "same-request",
            (value, ticket) => JsonSerializer.Serialize(new { cancelled = ((MassCancelResult)value!).Cancelled, ticket_id = ticket }));
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<MassCancelService>();

        // The first attempt got as far as the CEA book (its key, "<key>:CEA", committed with it) and then stopped.
        var first = await service.CancelAllAsync((CancelAllOrders)CancelAllOrders.Create(new MarketMakerId(mm), CertificateType.Cea).WithIdempotency(key));
        Assert.Equal("CANCELLED", (await OrdersAsync(app.Postgres, "id = @p0", cea)).Single().Status);
        Assert.Equal("OPEN", (await OrdersAsync(app.Postgres, "id = @p0", eua)).Single().Status);

        var retry = await service.CancelAllAsync((CancelAllOrders)CancelAllOrders.Create(new MarketMakerId(mm), null).WithIdempotency(key));

        Assert.False(retry.IsReplay);
        Assert.Equal(2, retry.Value.Cancelled);
        Assert.Equal(first.Value.TicketIds[0], retry.Value.TicketIds[0]);
        Assert.Equal(2, retry.Value.TicketIds.Count);
        Assert.Equal("CANCELLED", (await OrdersAsync(app.Postgres, "id = @p0", eua)).Single().Status);
        var again = await service.CancelAllAsync((CancelAllOrders)CancelAllOrders.Create(new MarketMakerId(mm), null).WithIdempotency(key));
        Assert.True(again.IsReplay);
        Assert.Equal(JsonSerializer.Serialize(new { cancelled = 2, ticket_id = retry.Value.TicketIds[0] }), again.Replay!.Body);
    }

    [Fact]
    public async Task An_auditor_is_refused_403_bad_input_422_and_an_unknown_market_maker_404_each_with_a_failed_ticket()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100" }, "refused");
        var order = await PlaceAsync(admin, mm, "CEA", "57.00", "1");
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        using var operatorClient = await app.CreateClientForRoleAsync(Roles.Operator);
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        await MmApi.AssertRejectedAsync(app.Postgres, await CancelAllAsync(auditor, new { market_maker_id = mm }), HttpStatusCode.Forbidden, "MASS_CANCEL");
        await MmApi.AssertRejectedAsync(app.Postgres, await CancelAllAsync(admin, new { market_maker_id = mm, side = "HOLD" }), HttpStatusCode.UnprocessableEntity, "MASS_CANCEL");
        await MmApi.AssertRejectedAsync(app.Postgres, await CancelAllAsync(admin, new { certificate_type = "" }), HttpStatusCode.UnprocessableEntity, "MASS_CANCEL");
        await MmApi.AssertRejectedAsync(app.Postgres, await CancelAllAsync(admin, new { market_maker_id = "not-an-id" }), HttpStatusCode.UnprocessableEntity, "MASS_CANCEL");
        await MmApi.AssertRejectedAsync(app.Postgres, await CancelAllAsync(admin, new { market_maker_id = Guid.NewGuid() }), HttpStatusCode.NotFound, "MASS_CANCEL");

        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        var pulled = await OrderApi.OkAsync(await CancelAllAsync(operatorClient, new { market_maker_id = mm, certificate_type = "CEA" }));
        Assert.Equal(1, pulled.GetProperty("cancelled").GetInt32());
        Assert.Equal("CANCELLED", (await OrdersAsync(app.Postgres, "id = @p0", order)).Single().Status);
    }
}
