using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Faults;

/// <summary>
/// Issue 6 "App process": the app runs as its own OS process and is killed (SIGKILL) while Market Maker sells and
/// client buys cross concurrently. After a restart, reconciliation is clean, the book is the open orders in the
/// database, fills match trades, holdings are conserved, and the audit chain verifies once the sealer has drained.
/// </summary>
public sealed class AppKillFaultTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task App_killed_mid_load_restarts_with_a_consistent_book_ledger_and_audit_chain()
    {
        var postgres = await TestDatabase.CreateAsync("faults");
        try
        {
            await using var app = new AppProcess(postgres, TestEnvironment.Redis);
            await app.StartAsync(Step);
            using var admin = await LoginAsync(app, TestDatabase.AdminEmail, TestDatabase.AdminPassword);
            var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "1000000" }, "kill");
            using var buyer = await CreateBuyerAsync(app, admin);
            var totals = await Market.TotalsAsync(postgres);

            IReadOnlyList<LoadOutcome> outcomes;
            await using (var load = new FaultLoad(8, (i, _) => i % 2 == 0
                             ? OrderApi.PlaceMmAsync(admin, mm, "CEA", Price(100 + i % 30 / 10m), 1 + i % 5)
                             : OrderApi.PlaceClientAsync(buyer, "CEA", "BUY", Price(99.5m + i % 30 / 10m), 1 + i % 4)))
            {
                await load.WaitForSuccessesAsync(60, Step);
                await app.KillAsync();
                load.Phase = 1;
                outcomes = await load.StopAsync(Step);
            }

            Assert.True(outcomes.Count(o => o.Ok) >= 60);
            await app.StartAsync(Step);

            // The restarted app serves the same bearer tokens (the data-protection key ring lives in PostgreSQL)
            // and matches against the book it rebuilt: a crossing buy fills.
            var cross = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(buyer, "CEA", "BUY", "200.00", 3));
            Assert.True(cross.GetProperty("trades").GetArrayLength() > 0, $"a crossing buy after restart did not trade: {cross}");
            await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "150.00", 2));

            await OrderApi.AssertReconciledAsync(admin);
            Assert.Equal(totals, await Market.TotalsAsync(postgres));
            await Market.AssertFillsMatchTradesAsync(postgres);
            await Market.AssertBooksUncrossedAsync(postgres);
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, """
                SELECT count(*) FROM orders o
                WHERE NOT EXISTS (SELECT 1 FROM ticket_logs t WHERE t.ticket_id = o.ticket_id AND t.status = 'SUCCESS')
                """));

            // The book the API shows is exactly the open orders in the database.
            var book = await OrderApi.OkAsync(await admin.GetAsync("/api/v1/admin/market-orders/orderbook?certificate_type=CEA&depth=100000"));
            var shown = Levels(book, "bids", "BUY").Concat(Levels(book, "asks", "SELL")).OrderBy(l => l).ToList();
            var open = (await TestDatabase.ScalarAsync<string>(postgres, """
                SELECT coalesce(string_agg(side || ' ' || price::text || ' ' || qty || ' ' || n, ';' ORDER BY side, price), '')
                FROM (SELECT side, price, sum(quantity - filled_quantity) AS qty, count(*) AS n FROM orders
                      WHERE certificate_type = 'CEA' AND status IN ('OPEN', 'PARTIALLY_FILLED') GROUP BY side, price) l
                """)).Split(';', StringSplitOptions.RemoveEmptyEntries).OrderBy(l => l).ToList();
            Assert.NotEmpty(open);
            Assert.Equal(open, shown);

            // The sealer catches up with everything committed before and after the kill, and the chain verifies.
            JsonElement verify = default;
            await Poll.UntilAsync(async () =>
            {
                verify = await OrderApi.OkAsync(await admin.GetAsync("/api/v1/admin/logging/verify"));
                return verify.GetProperty("unsealed_tickets").GetInt64() == 0;
            }, Step, () => $"the sealer did not drain: {verify}");
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
            Assert.True(verify.GetProperty("verified_tickets").GetInt64() >= outcomes.Count(o => o.Ok), verify.ToString());
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static string Price(decimal price) => price.ToString("0.00", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Levels(JsonElement book, string property, string side) =>
        book.GetProperty(property).EnumerateArray().Select(l =>
            $"{side} {decimal.Parse(l.GetProperty("price").GetString()!, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture)} " +
            $"{l.GetProperty("quantity").GetInt64()} {l.GetProperty("order_count").GetInt32()}");

    private static async Task<HttpClient> LoginAsync(AppProcess app, string email, string password)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var login = await OrderApi.OkAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("access_token").GetString());
        return client;
    }

    private static async Task<HttpClient> CreateBuyerAsync(AppProcess app, HttpClient admin)
    {
        var email = $"buyer-{Guid.NewGuid():N}@test.local";
        var created = await OrderApi.OkAsync(await admin.PostAsJsonAsync(OrderApi.Users, new
        {
            email,
            password = UserFactory.DefaultPassword,
            first_name = "Fault",
            last_name = "Buyer",
            role = "FUNDED",
            entity_name = $"Entity {Guid.NewGuid():N}",
        }));
        var id = created.GetProperty("user").GetProperty("id").GetGuid();
        await OrderApi.OkAsync(await admin.PostAsJsonAsync($"{OrderApi.Users}/{id}/deposits", new { amount = "100000000", notes = "funding" }));
        return await LoginAsync(app, email, UserFactory.DefaultPassword);
    }
}
