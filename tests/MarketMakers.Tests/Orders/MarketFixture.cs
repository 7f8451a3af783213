using MarketMakers.Core;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Orders;

/// <summary>Service-level helpers for the order tests: holders, orders, and the SPEC §3 invariants checked by SQL.</summary>
public static class Market
{
    public static async Task<T> WithAsync<TService, T>(IServiceProvider services, Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static async Task<Guid> CreateMarketMakerAsync(IServiceProvider services, IReadOnlyDictionary<string, decimal> initial)
    {
        var result = await WithAsync<MarketMakerService, MarketMakers.Core.Audit.Audited<MarketMakerView>>(services, s =>
            s.CreateAsync(new CreateMarketMakerRequest($"MM {Guid.NewGuid():N}", $"mm-{Guid.NewGuid():N}@test.local", null, initial)));
        return result.Value.Id;
    }

    /// <summary>A FUNDED client user with an entity, funded with the given amounts.</summary>
    public static async Task<(Guid UserId, Guid EntityId)> CreateTraderAsync(IServiceProvider services, IReadOnlyDictionary<string, decimal> funds)
    {
        var created = await WithAsync<ClientService, MarketMakers.Core.Audit.Audited<ClientUserView>>(services, s => s.CreateUserAsync(
            new CreateClientUserRequest($"t-{Guid.NewGuid():N}@test.local", UserFactory.DefaultPassword, "T", "T", Roles.Funded, $"Entity {Guid.NewGuid():N}")));
        foreach (var (asset, amount) in funds)
        {
            await WithAsync<LedgerMovementService, object>(services, async s =>
                await s.FundAsync(created.Value.Id, asset, amount, notes: "funding"));
        }

        return (created.Value.Id, created.Value.EntityId!.Value);
    }

    /// <summary>Throws unless every open book of <paramref name="postgres"/> is uncrossed.</summary>
    public static async Task AssertBooksUncrossedAsync(string postgres)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT certificate_type, max(price) FILTER (WHERE side = 'BUY'), min(price) FILTER (WHERE side = 'SELL')
            FROM orders WHERE status IN ('OPEN', 'PARTIALLY_FILLED') GROUP BY certificate_type
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            if (!r.IsDBNull(1) && !r.IsDBNull(2))
            {
                Assert.True(r.GetDecimal(1) < r.GetDecimal(2), $"{r.GetString(0)} book crossed: bid {r.GetDecimal(1)} >= ask {r.GetDecimal(2)}");
            }
        }
    }

    /// <summary>Every order's filled quantity is the sum of its trades, and never above its quantity.</summary>
    public static async Task AssertFillsMatchTradesAsync(string postgres)
    {
        var bad = await TestDatabase.ScalarAsync<long>(postgres, """
            SELECT count(*) FROM orders o
            WHERE o.filled_quantity > o.quantity
               OR o.filled_quantity <> COALESCE((SELECT sum(t.quantity) FROM cash_market_trades t WHERE t.buy_order_id = o.id OR t.sell_order_id = o.id), 0)
               OR (o.status = 'FILLED') <> (o.filled_quantity = o.quantity)
            """);
        Assert.Equal(0L, bad);
    }

    public static async Task AssertReconciledAsync(IServiceProvider services)
    {
        var report = await WithAsync<ReconciliationService, ReconciliationReport>(services, s => s.RunAsync());
        Assert.True(report.Clean, "reconciliation: " + string.Join("; ", report.Mismatches));
    }

    public static async Task<Dictionary<string, decimal>> TotalsAsync(string postgres)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT asset, sum(available + locked) FROM balances GROUP BY asset", conn);
        var totals = Asset.All.ToDictionary(a => a.Value, _ => 0m);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            totals[r.GetString(0)] = r.GetDecimal(1);
        }

        return totals;
    }

    public static OrderTerms Order(string ct, string side, decimal price, long quantity) => CommandShortcuts.Terms(ct, side, price, quantity);

    public static bool IsExpectedRejection(DomainException ex) => ex.Kind is DomainErrorKind.BusinessRule;
}
