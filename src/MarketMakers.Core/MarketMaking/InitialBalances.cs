using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.MarketMaking;

/// <summary>
/// A new Market Maker's initial balances, inside its creation's transaction: deposited at once, or, with four-eyes on,
/// requested for a second person's approval. Either way each gets its own ticket, linked to the creation's.
/// </summary>
internal sealed class InitialBalances(LedgerService ledger, ApprovalService approvals)
{
    /// <summary>An initial balance: a DEPOSIT with its own ASSET_DEPOSIT ticket, linked to the creation's.</summary>
    public async Task<string> DepositAsync(ActionScope scope, Guid id, Amount amount, CancellationToken cancellationToken)
    {
        var asset = amount.Asset.Value;
        var deposit = new TicketDraft(ActionTypes.AssetDeposit, EntityTypes.AssetTransaction)
        {
            MarketMakerId = id,
            Request = new { certificate_type = asset, transaction_type = TransactionTypes.Deposit, amount = amount.Value, notes = "Initial balance" },
        };
        deposit.RelatedTicketIds.Add(scope.TicketId);
        deposit.Tags.AddRange(["market_maker", "deposit", "initial_balance"]);
        var depositTicket = await scope.AddTicketAsync(deposit, cancellationToken);
        var entry = await ledger.MoveAsync(scope, id, MovementType.Deposit, amount, "Initial balance", depositTicket, cancellationToken);
        deposit.EntityId = entry.Transaction.Id.ToString();
        deposit.Before = new { asset, balance = entry.Before };
        deposit.After = new { asset, balance = entry.After, transaction = TransactionView.From(entry.Transaction, ofMarketMaker: true) };
        return depositTicket;
    }


    /// <summary>With four-eyes on, an initial balance is a pending DEPOSIT request with its own ticket, linked to the creation's.</summary>
    public async Task<(string TicketId, MovementRequestView Request)> RequestAsync(
        ActionScope scope, Guid id, Amount amount, CancellationToken cancellationToken)
    {
        var holder = new LedgerHolder.MarketMaker(new MarketMakerId(id));
        var movement = MoveAssets.Create(holder, MovementType.Deposit, amount, "Initial balance");
        var draft = new RequestMovement(movement).Draft();
        draft.RelatedTicketIds.Add(scope.TicketId);
        draft.Tags.Add("initial_balance");
        var ticketId = await scope.AddTicketAsync(draft, cancellationToken);
        var request = approvals.AddRequest(scope, id, movement, ticketId);
        await scope.Db.SaveChangesAsync(cancellationToken);
        var view = MovementRequestView.From(request);
        draft.EntityId = request.Id.ToString();
        draft.After = new { request = view, expires_at = request.ExpiresAt };
        return (ticketId, view);
    }
}
