using System.Globalization;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Faults;

/// <summary>
/// Issue 6 "Redis": a private redis-server is stopped while concurrent deposits run. The app keeps serving from
/// the PostgreSQL fallback; when Redis comes back the counter is re-seeded above everything issued, and no ticket
/// id repeats.
/// </summary>
public sealed class RedisFaultTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Redis_stopped_and_restarted_mid_load_keeps_serving_with_unique_ticket_ids()
    {
        await using var redis = await RedisServer.StartAsync();
        var postgres = await TestDatabase.CreateAsync("faults");
        try
        {
            await using var app = new FaultAppFactory(postgres, redis.Configuration);
            await app.InitializeAsync();
            using var admin = await app.CreateAdminClientAsync();
            admin.Timeout = TimeSpan.FromSeconds(30);
            var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["CEA"] = "1000000" }, "redis");

            IReadOnlyList<LoadOutcome> outcomes;
            await using (var load = new FaultLoad(6, (i, _) => i % 3 == 2
                             ? MmApi.TransactAsync(admin, mm, "CEA", "WITHDRAWAL", "1")
                             : MmApi.TransactAsync(admin, mm, "EUA", "DEPOSIT", "1")))
            {
                await load.WaitForSuccessesAsync(30, Step);

                load.Phase = 1;
                await redis.StopAsync();
                await load.WaitForSuccessesAsync(30, Step);
                await Poll.UntilAsync(async () => (await HealthAsync(admin)).Contains("Degraded", StringComparison.Ordinal), Step,
                    "/health never reported Degraded while Redis was down");

                load.Phase = 2;
                await redis.StartAgainAsync();
                load.Phase = 3;
                await load.WaitForSuccessesAsync(30, Step);
                // The app's multiplexer reconnects on its own; once it has, ids come from the re-seeded Redis counter.
                await Poll.UntilAsync(async () => await redis.CommandAsync("KEYS *ticket_counter*") is { Length: > 0 }, Step,
                    "the ticket counter was never re-seeded in the restarted Redis");
                load.Phase = 4;
                await load.WaitForSuccessesAsync(30, Step);
                outcomes = await load.StopAsync(Step);
            }

            // The app kept serving: every request succeeded, through the outage and the restart.
            var failures = outcomes.Where(o => !o.Ok).ToList();
            Assert.True(failures.Count == 0, $"{failures.Count} of {outcomes.Count} requests failed: {string.Join(" | ", failures.Take(5))}");

            // Ticket ids: unique in the responses and in the database, and every response's ticket is stored.
            var ids = outcomes.Select(o => o.TicketId!).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) - count(DISTINCT ticket_id) FROM ticket_logs"));
            Assert.Equal((long)ids.Count, await TestDatabase.ScalarAsync<long>(postgres,
                "SELECT count(*) FROM ticket_logs WHERE ticket_id = ANY(@p0) AND status = 'SUCCESS'", (object)ids.ToArray()));

            // Ids handed out after the restart lie above everything issued before it (the re-seed skipped past the outage's ids).
            var restartedAt = outcomes.Where(o => o.Phase >= 3).Min(o => o.Started);
            var beforeRestart = outcomes.Where(o => o.Ended < restartedAt).Select(o => Number(o.TicketId!)).ToList();
            var afterRestart = outcomes.Where(o => o.Phase >= 3).Select(o => Number(o.TicketId!)).ToList();
            Assert.NotEmpty(beforeRestart);
            Assert.True(afterRestart.Min() > beforeRestart.Max(), $"after restart {afterRestart.Min()} <= before {beforeRestart.Max()}");
            var outage = outcomes.Where(o => o.Phase == 1).Select(o => Number(o.TicketId!)).ToList();
            Assert.True(outage.Count >= 30);
            var latest = outcomes.Where(o => o.Phase == 4).Select(o => Number(o.TicketId!)).ToList();
            Assert.True(latest.Min() > outage.Max(), $"re-seeded ids {latest.Min()} not above the outage's {outage.Max()}");

            await Poll.UntilAsync(async () => (await HealthAsync(admin)).StartsWith("{\"status\":\"Healthy\"", StringComparison.Ordinal), Step,
                "/health did not return to Healthy after Redis came back");
            var balances = await MmApi.JsonAsync(await admin.GetAsync($"{MmApi.Base}/{mm}/balances"));
            var deposits = outcomes.Count(o => o.TryJson()?.GetProperty("transaction").GetProperty("transaction_type").GetString() == "DEPOSIT");
            Assert.Equal((decimal)deposits, balances.GetProperty("EUA").Dec("available"));
            var reconciliation = await MmApi.JsonAsync(await admin.GetAsync("/api/v1/admin/reconciliation"));
            Assert.True(reconciliation.GetProperty("mismatches").GetArrayLength() == 0, reconciliation.ToString());
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static long Number(string ticketId) => long.Parse(ticketId[(ticketId.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private static async Task<string> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return await response.Content.ReadAsStringAsync();
    }
}
