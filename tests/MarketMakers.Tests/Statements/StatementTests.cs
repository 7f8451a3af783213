using System.Globalization;
using System.Net;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Statements;

/// <summary>Balances as of a time and statements (SPEC §10), driven through the API over a seeded random ledger.</summary>
public sealed class StatementTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    private async Task<DateTimeOffset> DbNowAsync() =>
        new(DateTime.SpecifyKind(await TestDatabase.ScalarAsync<DateTime>(app.Postgres, "SELECT clock_timestamp()"), DateTimeKind.Utc));

    [Fact]
    public async Task As_of_agrees_with_the_state_after_every_action_and_with_a_replay_of_the_ledger()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "500", EUR = "1000.00" }, "asof");
        using var buyer = await OrderApi.CreateClientAsync(app, admin, eur: "100000.00");
        var random = new Random(17);
        var before = await DbNowAsync();
        var snapshots = new List<(DateTimeOffset At, JsonElement Balances)>();
        var open = new List<Guid>();
        for (var step = 0; step < 30; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                    await OrderApi.OkAsync(await MmApi.TransactAsync(admin, mm, random.Next(2) == 0 ? "CEA" : "EUR", "DEPOSIT", random.Next(1, 50).ToString(CultureInfo.InvariantCulture)));
                    break;
                case 1:
                    var placed = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", $"{random.Next(60, 70)}.00", random.Next(1, 20)));
                    open.Add(placed.GetProperty("order").GetProperty("id").GetGuid());
                    break;
                case 2:
                    await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(buyer.Http, "CEA", "BUY", "70.00", random.Next(1, 15)));
                    break;
                default:
                    if (open.Count > 0)
                    {
                        var id = open[random.Next(open.Count)];
                        open.Remove(id);
                        await admin.DeleteAsync($"{OrderApi.MarketOrders}/{id}");
                    }

                    break;
            }

            snapshots.Add((await DbNowAsync(), await OrderApi.BalancesAsync(admin, mm)));
        }

        // Zero before the MM existed.
        var empty = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/balances?as_of={Iso(before.AddDays(-1))}"));
        Assert.Equal((0m, 0m, 0m), OrderApi.Figures(empty, "CEA"));

        foreach (var (at, expected) in snapshots)
        {
            var asOf = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/balances?as_of={Iso(at)}"));
            foreach (var asset in new[] { "CEA", "EUA", "EUR" })
            {
                Assert.Equal(OrderApi.Figures(expected, asset), OrderApi.Figures(asOf, asset));
            }
        }

        // Random instants across the history: available is the replay (Σ amount) of the ledger rows up to then.
        var end = snapshots[^1].At;
        for (var i = 0; i < 40; i++)
        {
            var at = before + TimeSpan.FromTicks((long)(random.NextDouble() * (end - before).Ticks));
            var asOf = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/balances?as_of={Iso(at)}"));
            foreach (var asset in new[] { "CEA", "EUR" })
            {
                var replay = await TestDatabase.ScalarAsync<decimal>(app.Postgres,
                    "SELECT coalesce(sum(amount), 0) FROM asset_transactions WHERE holder_id = @p0 AND asset = @p1 AND created_at <= @p2",
                    mm, asset, at.UtcDateTime);
                Assert.Equal(replay, OrderApi.Figures(asOf, asset).Available);
            }
        }

        await OrderApi.AssertReconciledAsync(admin);
    }

    [Fact]
    public async Task Statement_opening_plus_movements_is_closing_for_random_windows_and_csv_and_xlsx_carry_the_same_rows()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUR = "5000.00" }, "stmt");
        var random = new Random(4711);
        var start = await DbNowAsync();
        for (var i = 0; i < 25; i++)
        {
            var deposit = random.Next(3) != 0;
            var amount = $"{random.Next(1, 200)}.{random.Next(100):00}";
            await MmApi.TransactAsync(admin, mm, "EUR", deposit ? "DEPOSIT" : "WITHDRAWAL", amount);
        }

        var end = await DbNowAsync();
        for (var w = 0; w < 10; w++)
        {
            var a = start + TimeSpan.FromTicks((long)(random.NextDouble() * (end - start).Ticks));
            var b = a + TimeSpan.FromTicks((long)(random.NextDouble() * (end - a).Ticks));
            var s = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/statement?asset=EUR&from={Iso(a)}&to={Iso(b)}"));
            var movements = s.GetProperty("movements").EnumerateArray().ToList();
            Assert.Equal(s.Dec("closing"), s.Dec("opening") + movements.Sum(m => m.Dec("amount")));
            if (movements.Count > 0)
            {
                Assert.Equal(s.Dec("closing"), movements[^1].Dec("balance_after"));
                Assert.All(movements, m => Assert.False(string.IsNullOrEmpty(m.GetProperty("ticket_id").GetString())));
            }

            var csv = await admin.GetStringAsync($"{MmApi.Base}/{mm}/statement?asset=EUR&from={Iso(a)}&to={Iso(b)}&format=csv");
            var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
            Assert.Equal("OPENING", lines[1][1]);
            Assert.Equal(s.Dec("opening"), decimal.Parse(lines[1][3], CultureInfo.InvariantCulture));
            Assert.Equal("CLOSING", lines[^1][1]);
            Assert.Equal(s.Dec("closing"), decimal.Parse(lines[^1][3], CultureInfo.InvariantCulture));
            var rows = lines.Skip(2).SkipLast(1).ToList();
            Assert.Equal(movements.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(movements[i].GetProperty("transaction_type").GetString(), rows[i][1]);
                Assert.Equal(movements[i].Dec("amount"), decimal.Parse(rows[i][2], CultureInfo.InvariantCulture));
                Assert.Equal(movements[i].Dec("balance_after"), decimal.Parse(rows[i][3], CultureInfo.InvariantCulture));
                Assert.Equal(movements[i].GetProperty("ticket_id").GetString(), rows[i][4]);
            }

            // The workbook, read back with ClosedXML: the same opening, rows and closing, as numbers.
            var xlsx = await admin.GetByteArrayAsync($"{MmApi.Base}/{mm}/statement?asset=EUR&from={Iso(a)}&to={Iso(b)}&format=xlsx");
            using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(xlsx));
            var sheet = workbook.Worksheet(1);
            Assert.Equal(("OPENING", s.Dec("opening")), (sheet.Cell(2, 2).GetString(), sheet.Cell(2, 4).GetValue<decimal>()));
            for (var i = 0; i < movements.Count; i++)
            {
                Assert.Equal(
                    (movements[i].GetProperty("transaction_type").GetString(), movements[i].Dec("amount"), movements[i].Dec("balance_after"), movements[i].GetProperty("ticket_id").GetString()),
                    (sheet.Cell(3 + i, 2).GetString(), sheet.Cell(3 + i, 3).GetValue<decimal>(), sheet.Cell(3 + i, 4).GetValue<decimal>(), sheet.Cell(3 + i, 5).GetString()));
            }

            Assert.Equal(("CLOSING", s.Dec("closing")), (sheet.Cell(3 + movements.Count, 2).GetString(), sheet.Cell(3 + movements.Count, 4).GetValue<decimal>()));
        }

        // The whole history: opening 0, closing = today's available.
        var all = await OrderApi.OkAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/statement?asset=EUR"));
        Assert.Equal(0m, all.Dec("opening"));
        Assert.Equal(OrderApi.Figures(await OrderApi.BalancesAsync(admin, mm), "EUR").Available, all.Dec("closing"));
    }

    [Fact]
    public async Task A_client_sees_its_own_statement_and_balances_only()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var client = await OrderApi.CreateClientAsync(app, admin, eur: "1234.50");
        using var other = await OrderApi.CreateClientAsync(app, admin, eur: "99.00");
        var s = await OrderApi.OkAsync(await client.Http.GetAsync("/api/v1/cash-market/statement?asset=EUR"));
        var movement = Assert.Single(s.GetProperty("movements").EnumerateArray());
        Assert.Equal(("DEPOSIT", 1234.50m), (movement.GetProperty("transaction_type").GetString(), movement.Dec("amount")));
        Assert.Equal(1234.50m, s.Dec("closing"));
        var asOf = await OrderApi.OkAsync(await client.Http.GetAsync($"/api/v1/cash-market/balances?as_of={Iso(await DbNowAsync())}"));
        Assert.Equal((1234.50m, 0m, 1234.50m), OrderApi.Figures(asOf, "EUR"));

        // Client tokens do not reach the MM statements; anonymous callers get nothing.
        var mm = await MmApi.CreateAsync(admin, new { EUR = "10.00" }, "own");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.Http.GetAsync($"{MmApi.Base}/{mm}/statement?asset=EUR")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateApiClient().GetAsync("/api/v1/cash-market/statement?asset=EUR")).StatusCode);
    }

    [Theory]
    [InlineData("/balances?as_of=yesterday")]
    [InlineData("/balances?as_of=2026-13-40T00:00:00Z")]
    [InlineData("/statement?asset=XYZ")]
    [InlineData("/statement")]
    [InlineData("/statement?asset=EUR&from=notatime")]
    [InlineData("/statement?asset=EUR&format=pdf")]
    [InlineData("/statement?asset=EUR&from=2026-12-07T10:00:00Z&to=2026-12-06T10:00:00Z")]
    public async Task Bad_input_is_422(string path)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { EUR = "10.00" }, "bad");
        var response = await admin.GetAsync($"{MmApi.Base}/{mm}{path}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("detail", body);
    }

    [Fact]
    public async Task Unknown_market_maker_is_404()
    {
        using var admin = await app.CreateAdminClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/statement?asset=EUR")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/balances?as_of=2026-12-07T10:00:00Z")).StatusCode);
    }
}
