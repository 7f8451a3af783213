using MarketMakers.Core;
using MarketMakers.Core.Approvals;
using MarketMakers.Core.Demo;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Demo;

/// <summary>
/// `./run.sh --demo` on a database of its own: a living market, every step ticketed, and seeding twice is harmless.
/// With four-eyes on (as the demo runs) the market is the same, and every movement was requested by one admin and
/// approved by the second.
/// </summary>
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
            foreach (var type in CertificateType.All)
            {
                var book = await queries.GetBookAsync(type);
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
            // Four-eyes off: the movements executed at once, no request; the second admin exists all the same.
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM movement_requests"));
            Assert.Equal(6L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM asset_transactions WHERE transaction_type = 'DEPOSIT'"));
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM users WHERE email = @p0", DemoSeeder.SecondAdmin.Email));

            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
            Assert.True(report.Clean, string.Join("; ", report.Mismatches));
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    [Fact]
    public async Task With_four_eyes_on_the_same_market_is_funded_by_requests_of_the_admin_approved_by_admin2_and_two_stay_pending()
    {
        var direct = await TestDatabase.CreateAsync("demo_direct");
        var postgres = await TestDatabase.CreateAsync("demo_foureyes");
        try
        {
            await using (var off = TestDatabase.BuildServices(direct, configure: s => s.AddDemoSeeder()))
            {
                Assert.True(await SeedAsync(off));
            }

            await using var services = TestDatabase.BuildServices(postgres, configure: s => s.AddDemoSeeder().Configure<ApprovalOptions>(o => o.Enabled = true));
            Assert.True(await SeedAsync(services));
            var ticketsAfterSeed = await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs");
            Assert.False(await SeedAsync(services));
            Assert.Equal(ticketsAfterSeed, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs"));
            Assert.Equal(8L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM movement_requests"));

            // The same books, trades and balances as with four-eyes off: pending requests move nothing.
            Assert.Equal(await MarketAsync(direct), await MarketAsync(postgres));

            var admin = await UserIdAsync(postgres, TestDatabase.AdminEmail);
            var admin2 = await UserIdAsync(postgres, DemoSeeder.SecondAdmin.Email);
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs WHERE status = 'FAILED'"));
            // Every manual ledger row is an approved request of the admin, decided by admin2, and carries the approval's ticket.
            Assert.Equal(6L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM asset_transactions WHERE transaction_type IN ('DEPOSIT', 'WITHDRAWAL')"));
            Assert.Equal(6L, await TestDatabase.ScalarAsync<long>(postgres, """
                SELECT count(*) FROM asset_transactions t
                JOIN movement_requests r ON r.transaction_id = t.id AND r.decision_ticket_id = t.ticket_id
                JOIN ticket_logs approved ON approved.ticket_id = r.decision_ticket_id
                JOIN ticket_logs requested ON requested.ticket_id = r.request_ticket_id
                WHERE r.status = 'APPROVED' AND r.requested_by = @p0 AND r.decided_by = @p1
                  AND approved.action_type = 'LEDGER_MOVEMENT_APPROVED' AND approved.status = 'SUCCESS' AND approved.user_id = @p1
                  AND r.request_ticket_id = ANY(approved.related_ticket_ids)
                  AND requested.action_type = 'LEDGER_MOVEMENT_REQUESTED' AND requested.status = 'SUCCESS' AND requested.user_id = @p0
                """, admin, admin2));

            // Work for the Approvals page: one request for each admin to decide.
            Assert.Equal(
                $"Baltic Allowance Partners DEPOSIT 150000.00 EUR by {admin2}; Nordic Carbon Liquidity WITHDRAWAL 1000.00 CEA by {admin}",
                await TestDatabase.ScalarAsync<string>(postgres, """
                    SELECT string_agg(h.name || ' ' || r.transaction_type || ' ' || r.amount || ' ' || r.asset || ' by ' || r.requested_by, '; ' ORDER BY h.name)
                    FROM movement_requests r JOIN holders h ON h.id = r.holder_id
                    JOIN ticket_logs t ON t.ticket_id = r.request_ticket_id AND t.user_id = r.requested_by
                    WHERE r.status = 'PENDING' AND r.decided_by IS NULL
                    """));

            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
            Assert.True(report.Clean, string.Join("; ", report.Mismatches));
        }
        finally
        {
            await TestDatabase.DropAsync(direct);
            await TestDatabase.DropAsync(postgres);
        }
    }

    /// <summary>What a user sees of the market: every order (in placement order), every trade and every balance.</summary>
    private static async Task<string> MarketAsync(string postgres) => string.Join("\n",
        await TestDatabase.ScalarAsync<string>(postgres, """
            SELECT string_agg(h.name || ' ' || o.certificate_type || ' ' || o.side || ' ' || o.price || ' ' || o.quantity || ' ' || o.filled_quantity || ' ' || o.status, '; ' ORDER BY o.sequence)
            FROM orders o JOIN holders h ON h.id = o.holder_id
            """),
        await TestDatabase.ScalarAsync<string>(postgres, "SELECT string_agg(certificate_type || ' ' || price || ' ' || quantity, '; ' ORDER BY sequence) FROM cash_market_trades"),
        await TestDatabase.ScalarAsync<string>(postgres, """
            SELECT string_agg(h.name || ' ' || b.asset || ' ' || b.available || '/' || b.locked, '; ' ORDER BY h.name, b.asset)
            FROM balances b JOIN holders h ON h.id = b.holder_id
            """));

    private static Task<Guid> UserIdAsync(string postgres, string email) =>
        TestDatabase.ScalarAsync<Guid>(postgres, "SELECT id FROM users WHERE email = @p0", email);

    private static async Task<bool> SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }
}
