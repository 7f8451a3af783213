using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Risk;

/// <summary>
/// Market state and limits. Every change is one business action under the instrument's advisory lock, the lock
/// each placement batch holds while it reads the market row: a batch either committed before the change or sees
/// it. The book is published after commit so both book components show the new state live on every instance.
/// </summary>
public sealed class MarketService(BusinessActionRunner runner, IDbContextFactory<MarketMakersDbContext> dbFactory, IOrderBookNotifier notifier)
{
    // The same reading as the order batch and the book: newest trade first.
    private const string LastPriceSql = """
        SELECT price AS "Value" FROM cash_market_trades WHERE certificate_type = {0} ORDER BY executed_at DESC, sequence DESC LIMIT 1
        """;

    public async Task<IReadOnlyList<MarketView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var markets = await db.Markets.AsNoTracking().OrderBy(m => m.CertificateType).ToListAsync(cancellationToken);
        var views = new List<MarketView>();
        foreach (var market in markets)
        {
            views.Add(MarketView.From(market, await LastPriceAsync(db, market.CertificateType, cancellationToken)));
        }

        return views;
    }

    public async Task<MarketView> GetAsync(CertificateType certificate, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).Single(m => m.CertificateType == certificate.Value);

    public Task<Audited<MarketView>> HaltAsync(HaltMarket command, CancellationToken cancellationToken = default) =>
        ChangeAsync(command, command.CertificateType, (scope, m) => m.Halt(command.Reason, scope.Context.UserId, scope.Now), cancellationToken);

    public Task<Audited<MarketView>> ResumeAsync(ResumeMarket command, CancellationToken cancellationToken = default) =>
        ChangeAsync(command, command.CertificateType, (scope, m) => m.Resume(command.Reason, scope.Context.UserId, scope.Now), cancellationToken);

    public Task<Audited<MarketView>> SetLimitsAsync(SetRiskLimits command, CancellationToken cancellationToken = default) =>
        ChangeAsync(command, command.CertificateType, (_, m) => m.SetLimits(command.Limits), cancellationToken);

    /// <summary>Lock, then check, then write: the instrument lock first, the market row under it.</summary>
    private async Task<Audited<MarketView>> ChangeAsync(
        Command command, CertificateType certificate, Action<ActionScope, Market> change, CancellationToken cancellationToken)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            await InstrumentLock.AcquireAsync(scope.Db, certificate, cancellationToken);
            var market = await scope.Db.Markets.AsTracking().SingleAsync(m => m.CertificateType == certificate.Value, cancellationToken);
            draft.Before = market.Snapshot();
            change(scope, market);
            var lastPrice = await LastPriceAsync(scope.Db, certificate.Value, cancellationToken);
            // The last order accepted before this change: an auditor checks a halt against the order sequence.
            var lastSequence = await scope.Db.Orders.Where(o => o.CertificateType == certificate).MaxAsync(o => (long?)o.Sequence, cancellationToken);
            draft.After = new { market = market.Snapshot(), last_price = lastPrice, last_order_sequence = lastSequence };
            await scope.Db.SaveChangesAsync(cancellationToken);
            return MarketView.From(market, lastPrice);
        }, cancellationToken);
        if (!result.IsReplay)
        {
            await notifier.PublishAsync(certificate.Value, CancellationToken.None);
        }

        return result;
    }

    private static Task<decimal?> LastPriceAsync(MarketMakersDbContext db, string certificate, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<decimal?>(LastPriceSql, certificate).SingleOrDefaultAsync(cancellationToken);
}
