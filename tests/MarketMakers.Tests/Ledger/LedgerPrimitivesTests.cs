using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Ledger;

/// <summary>The order primitives issue 4 builds on, run in a database of their own (they leave locks no order explains).</summary>
public sealed class LedgerPrimitivesTests
{
    [Fact]
    public async Task Lock_release_and_consume_move_available_and_locked_and_write_the_right_rows()
    {
        await using var own = await OwnDatabase.CreateAsync("primitives");
        var (postgres, services) = (own.Postgres, own.Services);
        Guid holder;
        await using (var scope = services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(
                new CreateMarketMakerRequest("Primitives MM", MmApi.UniqueEmail("prim"), null, new Dictionary<string, decimal> { ["CEA"] = 1000 }));
            holder = created.Value.Id;
        }

        var placed = await RunAsync(services, (ledger, scope) => ledger.LockForOrderAsync(scope, holder, "CEA", 100, "order placed"));
        var released = await RunAsync(services, (ledger, scope) => ledger.ReleaseAsync(scope, holder, "CEA", 40, "cancel rest"));
        var consumed = await RunAsync(services, async (ledger, scope) =>
            new LedgerEntry(null!, BalanceView.Zero, await ledger.ConsumeLockedAsync(scope, holder, "CEA", 60)));
        var overdraw = await Assert.ThrowsAsync<DomainException>(() =>
            RunAsync(services, (ledger, scope) => ledger.LockForOrderAsync(scope, holder, "CEA", 941, "too much")));

        Assert.Equal((new BalanceView(900, 100, 1000), TransactionTypes.TradeDebit, -100m), (placed.Value.After, placed.Value.Transaction.TransactionType, placed.Value.Transaction.Amount));
        Assert.Equal(placed.TicketId, placed.Value.Transaction.TicketId);
        Assert.Equal((new BalanceView(940, 60, 1000), TransactionTypes.TradeCredit, 40m), (released.Value.After, released.Value.Transaction.TransactionType, released.Value.Transaction.Amount));
        Assert.Equal(new BalanceView(940, 0, 940), consumed.Value.After);
        Assert.Equal(DomainErrorKind.BusinessRule, overdraw.Kind);
        Assert.Equal("FAILED", (await TicketAssert.LoadAsync(postgres, overdraw.TicketId!)).Status);
        // Initial deposit, the lock and the release: consuming locked certificates changes no available, so no row.
        Assert.Equal(new LedgerState("CEA:940.00/0.00", 3), await MmApi.StateAsync(postgres, holder));
        await using var check = services.CreateAsyncScope();
        var report = await check.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
        // The ledger agrees with the projection; only conservation notices the 60 certificates that left (sold, in issue 4).
        Assert.Equal([new ReconciliationMismatch(null, "CEA", "conservation", 1000m, 940m)], report.Mismatches);
    }

    private static async Task<Audited<LedgerEntry>> RunAsync(ServiceProvider services, Func<LedgerService, ActionScope, Task<LedgerEntry>> work)
    {
        await using var scope = services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerService>();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var draft = new TicketDraft(ActionTypes.MmOrderPlaced, EntityTypes.Order);
        return await runner.RunAsync(draft, s => work(ledger, s));
    }
}
