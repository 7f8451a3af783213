using MarketMakers.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Ledger;

/// <summary>
/// Manual deposits and withdrawals for every kind of holder, one business transaction each: resolve the holder
/// (a Market Maker must exist and be active; a client user must have an entity), then lock, check and write the
/// balance and its ledger row with the ASSET_DEPOSIT / ASSET_WITHDRAWAL ticket.
/// </summary>
public sealed class LedgerMovementService(BusinessActionRunner runner, LedgerService ledger)
{
    public Task<Audited<MovementResult>> MoveAsync(MoveAssets command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        return runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var holderId = await ResolveAsync(scope, command.Holder, cancellationToken);
            var entry = await ledger.MoveAsync(scope, holderId, command.Type, command.Amount, command.Notes, cancellationToken: cancellationToken);
            var view = TransactionView.From(entry.Transaction, command.Holder is LedgerHolder.MarketMaker);
            draft.EntityId = entry.Transaction.Id.ToString();
            draft.Before = new { asset = command.Amount.Asset.Value, balance = entry.Before };
            draft.After = new { asset = command.Amount.Asset.Value, balance = entry.After, transaction = view };
            return new MovementResult(view, entry.After);
        }, cancellationToken);
    }

    internal static async Task<Guid> ResolveAsync(ActionScope scope, LedgerHolder holder, CancellationToken cancellationToken)
    {
        switch (holder)
        {
            case LedgerHolder.MarketMaker { Id.Value: var id }:
                // FOR SHARE: a concurrent deactivation waits for this movement, or this movement sees it.
                var mm = await scope.Db.MarketMakers
                    .FromSql($"SELECT * FROM market_maker_clients WHERE id = {id} FOR SHARE")
                    .SingleOrDefaultAsync(cancellationToken)
                    ?? throw DomainException.NotFound($"Market Maker {id} not found.");
                mm.EnsureActive();
                return id;
            case LedgerHolder.ClientUser { Id.Value: var userId }:
                var user = await scope.Db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.EntityId }).SingleOrDefaultAsync(cancellationToken)
                    ?? throw DomainException.NotFound($"User {userId} not found.");
                return user.EntityId ?? throw DomainException.Rule("This user has no client entity to fund.");
            default:
                throw new InvalidOperationException($"Unknown holder {holder}.");
        }
    }
}
