using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Obligations;

/// <summary>
/// Setting and listing Market Maker obligations. A change is one business action: the MM row is locked first, so two
/// desks setting the same MM's obligations take turns and the before/after in each ticket is exact.
/// </summary>
public sealed class ObligationService(BusinessActionRunner runner, IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ObligationView>?> ListAsync(MarketMakerId marketMaker, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.MarketMakers.AnyAsync(m => m.Id == marketMaker.Value, cancellationToken))
        {
            return null;
        }

        var rows = await db.Obligations.AsNoTracking().Where(o => o.MarketMakerId == marketMaker.Value).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(o => o.CertificateType.Value, StringComparer.Ordinal).Select(ObligationView.From)];
    }

    public Task<Audited<ObligationView>> SetAsync(SetObligation command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        return runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var id = command.MarketMakerId.Value;
            var found = await scope.Db.Database
                .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM market_maker_clients WHERE id = {id} FOR UPDATE")
                .ToListAsync(cancellationToken);
            if (found.Count == 0)
            {
                throw DomainException.NotFound($"Market Maker {id} not found.");
            }

            draft.MarketMakerId = id;

            var obligation = await scope.Db.Obligations.AsTracking()
                .SingleOrDefaultAsync(o => o.MarketMakerId == id && o.CertificateType == command.CertificateType, cancellationToken);
            draft.Before = obligation?.Snapshot();
            if (obligation is null)
            {
                obligation = Obligation.Create(command.MarketMakerId, command.CertificateType, command.Terms, scope.Context.UserId, scope.Now);
                scope.Db.Obligations.Add(obligation);
            }
            else
            {
                obligation.Set(command.Terms, scope.Context.UserId, scope.Now);
            }

            draft.After = obligation.Snapshot();
            await scope.Db.SaveChangesAsync(cancellationToken);
            return ObligationView.From(obligation);
        }, cancellationToken);
    }
}
