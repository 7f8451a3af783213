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

/// <summary>One order a bulk cancel closed, and the cancel's own ticket.</summary>
public sealed record CancelledOrder(Guid OrderId, string CertificateType, string TicketId);

/// <summary>
/// Cancels many open orders inside the caller's action, each with its own cancel ticket (MM_ORDER_CANCELLED for a
/// Market Maker's order, ORDER_CANCELLED for a client's), linked both ways to the action's ticket: a client's
/// deactivation, a Market Maker's deactivation, a mass cancel. The caller holds the instrument lock of every order.
/// </summary>
internal static class BulkCancellation
{
    public static async Task<IReadOnlyList<CancelledOrder>> CancelWithTicketsAsync(
        ActionScope scope, IReadOnlyList<Order> orders, string reason, string tag, CancellationToken cancellationToken)
    {
        if (orders.Count == 0)
        {
            return [];
        }

        var balances = await LedgerService.LockAsync(scope, orders.Select(o => (o.HolderId, o.LockedAsset)), cancellationToken);
        var pending = new HashSet<(Guid, Asset)>();
        var cancelled = new List<CancelledOrder>(orders.Count);
        foreach (var order in orders)
        {
            var key = (order.HolderId, order.LockedAsset);
            if (!pending.Add(key))
            {
                // A second release on the same balance row: save the first, so the newest ledger row (by id) carries the
                // current available (EF does not promise insert order within one SaveChanges).
                await scope.Db.SaveChangesAsync(cancellationToken);
                pending.Clear();
                pending.Add(key);
            }

            var orderId = order.Id.ToString();
            var ticket = order.MarketMakerId is not null
                ? CancelMarketMakerOrder.Ticket(orderId)
                : CancelClientOrder.Ticket(scope.Context.UserId, orderId);
            ticket.MarketMakerId = order.MarketMakerId;
            ticket.Tags.Add(tag);
            ticket.Request = new { order_id = order.Id, reason };
            ticket.Before = order.Snapshot();
            ticket.RelatedTicketIds.AddRange([scope.TicketId, order.TicketId]);
            var ticketId = await scope.AddTicketAsync(ticket, cancellationToken);
            ticket.After = OrderCancellation.CancelAndRelease(scope, order, balances[key], reason, ticketId);
            scope.Draft.RelatedTicketIds.Add(ticketId);
            cancelled.Add(new CancelledOrder(order.Id, order.CertificateType.Value, ticketId));
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return cancelled;
    }
}
