using System.Net;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Issue 17 ladders against issue 16's controls, on a database of its own: a level beyond a limit is refused by name and
/// changes nothing; a halted market refuses a replace with 409 but still lets the desk pull the quotes.
/// </summary>
public sealed class QuoteLadderRiskTests(RiskAppFactory app) : IClassFixture<RiskAppFactory>
{
    [Fact]
    public async Task A_level_beyond_the_max_quantity_is_refused_by_name_and_the_old_ladder_stays()
    {
        using var admin = await app.CreateAdminClientAsync();
        await OrderApi.OkAsync(await RiskApi.SetLimitsAsync(admin, "EUA", 50, null, 100, "10000000.00"));
        var mm = await MmApi.CreateAsync(admin, new { EUA = "1000", EUR = "100000.00" }, "limits");
        await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "EUA", QuoteApi.Ladder(69.00m, 70.00m, 3, 100)));
        var before = await OrderApi.MarketStateAsync(app.Postgres);

        var ladder = QuoteApi.Ladder(69.00m, 70.00m, 3, 100);
        ladder.Asks[2] = new QuoteApi.Level("70.20", 101);
        var failed = await MmApi.AssertRejectedAsync(app.Postgres, await QuoteApi.PutAsync(admin, mm, "EUA", ladder),
            HttpStatusCode.UnprocessableEntity, "QUOTES_REPLACED");

        Assert.Contains("asks[2]", failed.ResponseData);
        Assert.Contains("100", failed.ResponseData);
        Assert.Equal(before, await OrderApi.MarketStateAsync(app.Postgres));
        Assert.Equal(6, (await QuoteApi.OpenOrdersAsync(app.Postgres, mm)).Count);
    }

    [Fact]
    public async Task A_halted_market_refuses_a_replace_but_the_quotes_can_still_be_pulled()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new { CEA = "1000", EUR = "100000.00" }, "halted");
        await QuoteApi.OkAsync(await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(69.00m, 70.00m, 2, 10)));
        await OrderApi.OkAsync(await RiskApi.HaltAsync(admin, "CEA", "Venue outage"));
        try
        {
            var failed = await MmApi.AssertRejectedAsync(app.Postgres,
                await QuoteApi.PutAsync(admin, mm, "CEA", QuoteApi.Ladder(68.00m, 71.00m, 2, 10)), HttpStatusCode.Conflict, "QUOTES_REPLACED");
            Assert.Contains("halted", failed.ResponseData, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(4, (await QuoteApi.OpenOrdersAsync(app.Postgres, mm)).Count);

            var pulled = await QuoteApi.OkAsync(await admin.DeleteAsync($"{MmApi.Base}/{mm}/quotes/CEA"));
            Assert.Equal(4, pulled.GetProperty("cancelled").GetInt32());
            Assert.Empty(await QuoteApi.OpenOrdersAsync(app.Postgres, mm));
            await OrderApi.AssertReconciledAsync(admin);
        }
        finally
        {
            await OrderApi.OkAsync(await RiskApi.ResumeAsync(admin, "CEA"));
        }
    }
}
