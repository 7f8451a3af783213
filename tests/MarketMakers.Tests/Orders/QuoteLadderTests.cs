using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Orders;

/// <summary>Issue 17 "Quote ladders" (SPEC §4b) through the API: replace, atomic refusal naming the level, takers, pull, replay.</summary>
public sealed class QuoteLadderTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    [Fact]
    public async Task Replacing_a_10x10_ladder_cancels_the_old_one_and_links_every_child_ticket()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000", EUR = "100000.00" }, "ladder");
        var first = await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 10, 10)));
        Assert.Equal(20, first.GetProperty("orders").GetArrayLength());
        Assert.Equal(0, first.GetProperty("cancelled").GetInt32());
        // Bids 69.00 … 68.10 × 10 lock their EUR; asks 70.00 … 70.90 × 10 lock 100 CEA.
        var bidValue = Enumerable.Range(0, 10).Sum(i => (69.00m - i * 0.10m) * 10);
        Assert.Equal((100000m - bidValue, bidValue), Pair(OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR")));
        Assert.Equal((900m, 100m), Pair(OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "CEA")));

        var second = await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(68.50m, 69.50m, 10, 5)));
        Assert.Equal(20, second.GetProperty("cancelled").GetInt32());
        var oldIds = first.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).Order().ToList();
        Assert.Equal(oldIds, second.GetProperty("cancelled_order_ids").EnumerateArray().Select(e => e.GetGuid()).Order().ToList());
        var open = await QuoteApi.OpenOrdersAsync(app.Postgres, mm);
        Assert.Equal(second.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).Order(), open.Order());
        var newBidValue = Enumerable.Range(0, 10).Sum(i => (68.50m - i * 0.10m) * 5);
        Assert.Equal((100000m - newBidValue, newBidValue), Pair(OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR")));
        Assert.Equal((950m, 50m), Pair(OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "CEA")));

        // One QUOTES_REPLACED ticket: it cancels the old ladder itself (before: the 20 orders; its ticket on their 20
        // release rows) and links the 20 placements, each of which links back.
        var ticket = await TicketAssert.LoadAsync(app.Postgres, second.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("QUOTES_REPLACED", "SUCCESS"), (ticket.ActionType, ticket.Status));
        Assert.Equal(20, ticket.RelatedTicketIds.Length);
        var children = await Task.WhenAll(ticket.RelatedTicketIds.Select(id => TicketAssert.LoadAsync(app.Postgres, id)));
        Assert.All(children, c => Assert.Equal("MM_ORDER_PLACED", c.ActionType));
        Assert.Equal(20L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM asset_transactions WHERE ticket_id = @p0 AND transaction_type = 'TRADE_CREDIT'", ticket.TicketId));
        Assert.Equal(20, JsonDocument.Parse(ticket.BeforeState!).RootElement.GetProperty("orders").GetArrayLength());
        Assert.All(children, c => Assert.Contains(ticket.TicketId, c.RelatedTicketIds));
        Assert.All(second.GetProperty("orders").EnumerateArray(), o => Assert.Contains(o.GetProperty("ticket_id").GetString(), ticket.RelatedTicketIds));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task A_failure_in_level_7_leaves_the_old_ladder_intact()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000", EUR = "20000.00" }, "atomic");
        var old = await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 10, 10)));
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        // bids[6] asks for 1,000 @ 68.40 = 68,400 EUR: more than the 20,000 the MM has, even with the old locks released.
        var ladder = QuoteApi.Ladder(69.00m, 70.00m, 10, 10);
        ladder.Bids[6] = new QuoteApi.Level("68.40", 1000);
        var response = await QuoteApi.PutAsync(admin, mm, "CEA", ladder);

        var failed = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.BadRequest, "QUOTES_REPLACED");
        Assert.Contains("bids[6]", failed.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        var open = await QuoteApi.OpenOrdersAsync(app.Postgres, mm);
        Assert.Equal(old.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).Order(), open.Order());
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task A_level_crossing_another_holders_order_trades_as_taker()
    {
        using var admin = await app.CreateAdminClientAsync();
        var seller = await MmApi.CreateAsync(admin, new { EUA = "50" }, "resting");
        var mm = await MmApi.CreateAsync(admin, new { EUA = "100", EUR = "10000.00" }, "taker");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, seller, "EUA", "68.00", 50));

        var ladder = new QuoteApi.Body([new QuoteApi.Level("69.00", 30)], [new QuoteApi.Level("71.00", 20)]);
        var result = await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "EUA", ladder));

        var bid = result.GetProperty("orders")[0];
        Assert.Equal(("FILLED", 30L), (bid.GetProperty("status").GetString(), bid.GetProperty("filled_quantity").GetInt64()));
        // 30 @ 68.00 = 2,040 paid; the bid's 2,070 lock comes back less that; the ask keeps 20 EUA locked.
        var balances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((7960m, 0m), Pair(OrderApi.Figures(balances, "EUR")));
        Assert.Equal((110m, 20m), Pair(OrderApi.Figures(balances, "EUA")));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Theory]
    [InlineData("""{"bids":[{"price":"70.00","quantity":1}],"asks":[{"price":"70.00","quantity":1}]}""", "bids[0]")]
    [InlineData("""{"bids":[{"price":"69.00","quantity":1}],"asks":[{"price":"70.00","quantity":1},{"price":"70.005","quantity":1}]}""", "asks[1].price")]
    [InlineData("""{"bids":[{"price":"69.00","quantity":0}]}""", "bids[0].quantity")]
    [InlineData("""{"bids":[{"price":"abc","quantity":1}]}""", "bids[0]")]
    [InlineData("""{"bids":{"price":"69.00"}}""", "'bids' must be an array")]
    public async Task A_malformed_ladder_is_refused_with_the_level_named_and_nothing_changes(string json, string named)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUR = "1000.00" }, "bad");
        var before = await OrderApi.MarketStateAsync(app.Postgres);
        var response = await admin.PutAsync($"{MmApi.Base}/{mm}/quotes/CEA", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var failed = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "QUOTES_REPLACED");
        Assert.Contains(named, failed.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
    }

    [Fact]
    public async Task More_than_20_levels_a_side_is_refused()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000" }, "deep");
        var response = await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(60.00m, 70.00m, 0, 1) with { Asks = [.. Enumerable.Range(0, 21).Select(i => new QuoteApi.Level($"{70 + i}.00", 1))] });
        var failed = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "QUOTES_REPLACED");
        Assert.Contains("at most 20", failed.ResponseData);
    }

    [Fact]
    public async Task Delete_pulls_the_quotes_and_releases_every_lock()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUR = "10000.00" }, "pull");
        await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 3, 5)));

        var pulled = await QuoteApi.OkAsync(await admin.DeleteAsync($"{MmApi.Base}/{mm}/quotes/CEA"));

        Assert.Equal((0, 6), (pulled.GetProperty("orders").GetArrayLength(), pulled.GetProperty("cancelled").GetInt32()));
        Assert.Empty(await QuoteApi.OpenOrdersAsync(app.Postgres, mm));
        var balances = await OrderApi.BalancesAsync(admin, mm);
        Assert.Equal((10000m, 0m), Pair(OrderApi.Figures(balances, "EUR")));
        Assert.Equal((100m, 0m), Pair(OrderApi.Figures(balances, "CEA")));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, pulled.GetProperty("ticket_id").GetString()!);
        // The pull itself cancelled the six: its ticket is on their six release rows, with no child ticket of its own.
        Assert.Equal(("QUOTES_REPLACED", 0), (ticket.ActionType, ticket.RelatedTicketIds.Length));
        Assert.Equal(6L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM asset_transactions WHERE ticket_id = @p0 AND transaction_type = 'TRADE_CREDIT'", ticket.TicketId));
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task A_replayed_key_replaces_once()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "100", EUR = "10000.00" }, "replay");
        var key = Guid.NewGuid().ToString();
        var first = await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 2, 5), key);
        var again = await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 2, 5), key);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(4, (await QuoteApi.OpenOrdersAsync(app.Postgres, mm)).Count);
    }

    private static (decimal, decimal) Pair((decimal Available, decimal Locked, decimal Total) f) => (f.Available, f.Locked);
}

/// <summary>Ladder requests for the tests.</summary>
public static class QuoteApi
{
    public sealed record Level(string Price, long Quantity);

    public sealed record Body(Level[] Bids, Level[] Asks);

    /// <summary><paramref name="levels"/> bids from <paramref name="bid"/> down and asks from <paramref name="ask"/> up, 0.10 apart.</summary>
    public static Body Ladder(decimal bid, decimal ask, int levels, long size) => new(
        [.. Enumerable.Range(0, levels).Select(i => new Level((bid - i * 0.10m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), size))],
        [.. Enumerable.Range(0, levels).Select(i => new Level((ask + i * 0.10m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), size))]);

    public static Task<HttpResponseMessage> PutAsync(HttpClient admin, Guid mm, string ct, Body body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{MmApi.Base}/{mm}/quotes/{ct}")
        {
            Content = JsonContent.Create(new
            {
                bids = body.Bids.Select(l => new { price = l.Price, quantity = l.Quantity }),
                asks = body.Asks.Select(l => new { price = l.Price, quantity = l.Quantity }),
            }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return admin.SendAsync(request);
    }

    public static Task<JsonElement> OkAsync(HttpResponseMessage response) => OrderApi.OkAsync(response);

    public static async Task<List<Guid>> OpenOrdersAsync(string postgres, Guid mm)
    {
        await using var conn = new Npgsql.NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT id FROM orders WHERE market_maker_id = @mm AND status IN ('OPEN', 'PARTIALLY_FILLED')", conn);
        cmd.Parameters.AddWithValue("mm", mm);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
