using MarketMakers.Core;
using MarketMakers.Core.Demo;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Demo;

/// <summary>`./run.sh --demo` on a database of its own: a living market, every step ticketed, and seeding twice is harmless.</summary>
public sealed class DemoSeederTests
{
    [Fact]
    public async Task Demo_market_seeds_once_with_both_books_two_sided_trades_and_a_clean_reconciliation()
    {
        var postgres = await TestDatabase.CreateAsync("demo");
        try
        {
            await using var services = TestDatabase.BuildServices(postgres, configure: s => s.AddDemoSeeder());

            Assert.True(await SeedAsync(services));
            var ticketsAfterSeed = await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs");
            Assert.False(await SeedAsync(services));
            Assert.Equal(ticketsAfterSeed, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs"));

            var queries = services.GetRequiredService<OrderQueries>();
            foreach (var type in Assets.Certificates)
            {
                var book = await queries.GetBookAsync(CertificateType.Parse(type));
                Assert.True(book.Bids.Count >= 3, $"{type} bids");
                Assert.True(book.Asks.Count >= 3, $"{type} asks");
                Assert.True(book.BestBid < book.BestAsk, $"{type} book is crossed");
                Assert.NotNull(book.LastPrice);
                Assert.True(book.Volume24h > 0);
            }

            Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM market_maker_clients"));
            Assert.True(await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM cash_market_trades") >= 4);
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs WHERE status = 'FAILED'"));
            Assert.True(await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs WHERE action_type = 'TRADE_EXECUTED'") >= 4);

            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
            Assert.True(report.Clean, string.Join("; ", report.Mismatches));
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static async Task<bool> SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }
}
