using System.Net;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Ledger;

public sealed class ConcurrencyTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Fifty_parallel_withdrawals_of_100_against_1000_let_exactly_ten_through()
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, new { CEA = "1000" }, "race");
        using var start = new SemaphoreSlim(0);

        var requests = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var response = await MmApi.TransactAsync(client, id, "CEA", "WITHDRAWAL", "100", $"race {i}");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Release(50);
        var results = await Task.WhenAll(requests);

        Assert.Equal(10, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40, results.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        foreach (var rejected in results.Where(r => r.StatusCode == HttpStatusCode.BadRequest))
        {
            var ticketId = JsonDocument.Parse(rejected.Body).RootElement.GetProperty("ticket_id").GetString()!;
            var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
            Assert.Equal(("ASSET_WITHDRAWAL", "FAILED"), (ticket.ActionType, ticket.Status));
            Assert.Contains("Insufficient", ticket.ResponseData);
        }

        Assert.Equal(0m, await TestDatabase.ScalarAsync<decimal>(app.Postgres,
            "SELECT available FROM balances WHERE holder_id = @p0 AND asset = 'CEA'", id));
        Assert.Equal(10L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM asset_transactions WHERE holder_id = @p0 AND transaction_type = 'WITHDRAWAL'", id));
        Assert.Equal(40L, await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM ticket_logs WHERE market_maker_id = @p0 AND action_type = 'ASSET_WITHDRAWAL' AND status = 'FAILED'", id));
        // The ten successful rows step the balance down 900, 800, … 0 with no gap or repeat.
        var afters = await TestDatabase.ScalarAsync<decimal[]>(app.Postgres,
            "SELECT array_agg(balance_after ORDER BY id) FROM asset_transactions WHERE holder_id = @p0 AND transaction_type = 'WITHDRAWAL'", id);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 900m - (100m * i)), afters);
    }
}
