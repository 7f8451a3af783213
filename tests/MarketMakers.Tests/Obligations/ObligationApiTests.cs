using System.Net;
using System.Net.Http.Json;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Obligations;

/// <summary>SPEC §10 over HTTP: the desk sets an obligation, staff list it and read the compliance buckets; AUDITOR cannot set.</summary>
public sealed class ObligationApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    // Money and percentages travel as exact decimal strings.
    private static decimal D(System.Text.Json.JsonElement e, string name) =>
        decimal.Parse(e.GetProperty(name).ToString(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_desk_sets_an_obligation_and_reads_its_compliance_and_an_auditor_cannot_set_it()
    {
        using var admin = await app.CreateAdminClientAsync();
        using var auditor = await app.CreateClientForRoleAsync(Roles.Auditor);
        var mm = await MmApi.CreateAsync(admin, tag: "oblig");
        var url = $"{MmApi.Base}/{mm}/obligations/CEA";

        var set = await OrderApi.OkAsync(await admin.PutAsJsonAsync(url, new { max_spread = 1.00m, min_quantity = 10, min_presence_pct = 50 }));
        var obligation = set.GetProperty("obligation");
        Assert.Equal(("CEA", 1.00m, 10L, 50m, true), (obligation.GetProperty("certificate_type").GetString(), D(obligation, "max_spread"),
            obligation.GetProperty("min_quantity").GetInt64(), D(obligation, "min_presence_pct"), obligation.GetProperty("active").GetBoolean()));
        var ticket = await TicketAssert.LoadAsync(app.Postgres, set.GetProperty("ticket_id").GetString()!);
        Assert.Equal((ActionTypes.ObligationChanged, "SUCCESS", $"{mm}/CEA"), (ticket.ActionType, ticket.Status, ticket.EntityId));

        await MmApi.AssertRejectedAsync(app.Postgres,
            await auditor.PutAsJsonAsync(url, new { max_spread = 9m, min_quantity = 1, min_presence_pct = 1 }), HttpStatusCode.Forbidden, ActionTypes.ObligationChanged);
        await MmApi.AssertRejectedAsync(app.Postgres,
            await admin.PutAsJsonAsync(url, new { max_spread = 1m, min_quantity = 10, min_presence_pct = 101 }), HttpStatusCode.UnprocessableEntity, ActionTypes.ObligationChanged);

        var list = await OrderApi.OkAsync(await auditor.GetAsync($"{MmApi.Base}/{mm}/obligations"));
        var only = Assert.Single(list.GetProperty("obligations").EnumerateArray());
        Assert.Equal(1.00m, D(only, "max_spread"));

        // Two samples on a past day (inserting is what the sampler does; the table refuses only changes): one present, one without a bid (its bid counts as 0 in the average size).
        await TestDatabase.ExecuteAsync(app.Postgres, $"""
            INSERT INTO obligation_samples (market_maker_id, certificate_type, sampled_at, present, best_bid, best_ask, spread, bid_quantity, ask_quantity, max_spread, min_quantity)
            VALUES ('{mm}', 'CEA', '2026-01-05T09:00:00Z', true, 100.00, 100.50, 0.50, 10, 20, 1.00, 10),
                   ('{mm}', 'CEA', '2026-01-05T09:00:10Z', false, NULL, 100.50, NULL, 0, 20, 1.00, 10)
            """);
        var report = await OrderApi.OkAsync(await auditor.GetAsync(
            $"{MmApi.Base}/{mm}/compliance?certificate_type=CEA&date_from=2026-01-05&date_to=2026-01-05&bucket=day"));
        var bucket = Assert.Single(report.GetProperty("buckets").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T00:00:00Z"), bucket.GetProperty("bucket").GetDateTimeOffset());
        Assert.Equal((2L, 1L, 50m, 0.5m, 5m, 20m, true), (bucket.GetProperty("samples").GetInt64(), bucket.GetProperty("present_samples").GetInt64(),
            D(bucket, "presence_pct"), D(bucket, "avg_spread"), D(bucket, "avg_bid_quantity"),
            D(bucket, "avg_ask_quantity"), bucket.GetProperty("met").GetBoolean()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.GetAsync($"{MmApi.Base}/{mm}/compliance?bucket=week")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/compliance")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{MmApi.Base}/{Guid.NewGuid()}/obligations")).StatusCode);
    }
}
