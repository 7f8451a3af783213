using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The one way an open order is cancelled inside an action: the order closes and its unfilled lock returns to
/// available as a TRADE_CREDIT row carrying the cancel's ticket. The caller holds the instrument lock and the
/// holder's balance row (lock, then check, then write).
/// </summary>
internal static class OrderCancellation
{
    /// <summary>Cancels and releases; returns the ticket's after-state (the order and its ledger effect).</summary>
    public static object CancelAndRelease(ActionScope scope, Order order, Balance balance, string reason, string ticketId)
    {
        var release = order.RemainingLock;
        order.Cancel(reason, scope.Now);
        var entry = LedgerService.Post(scope, balance, TransactionTypes.TradeCredit, release, -release, OrderPlacement.Describe(order, "cancel release"), ticketId);
        return new { order = order.Snapshot(), ledger = new[] { OrderPlacement.Effect(entry) } };
    }
}
