using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Places and cancels orders. A placement is handed to the <see cref="OrderSequencer"/> (ticket id, trader's role and
/// entity, funds: all checked in the batch), which places the orders queued for a certificate type in batches of
/// one transaction each and answers every caller after that COMMIT (ADR 0009). A cancel is one business transaction
/// through <see cref="BusinessActionRunner"/>. Both serialize per instrument across every app instance with the
/// <see cref="InstrumentLock"/> (ADR 0005).
/// </summary>
public sealed class OrderService(
    BusinessActionRunner runner,
    OrderSequencer sequencer,
    IRequestContextAccessor requestContext,
    IdempotencyStore idempotency,
    TraderLookup traders,
    IOrderBookNotifier notifier)
{
    public const string CancelledByUser = "Cancelled by the order owner.";
    public const string CancelledByAdmin = "Cancelled by an administrator.";

    /// <summary>Whether the Market Maker exists and is active is checked in the batch, under FOR SHARE.</summary>
    public Task<Audited<PlacedOrder>> PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder command, CancellationToken cancellationToken = default)
    {
        var mm = command.MarketMakerId.Value;
        return SubmitAsync(command, new PendingOrder(command.Draft(), requestContext.Current, mm, mm, command.Terms, command.Idempotency, cancellationToken));
    }

    /// <summary>Whether the user may trade, and for which entity, is read in the batch's first round trip, under the instrument lock.</summary>
    public Task<Audited<PlacedOrder>> PlaceClientOrderAsync(PlaceClientOrder command, CancellationToken cancellationToken = default) =>
        SubmitAsync(command, new PendingOrder(
            command.Draft(), requestContext.Current, Guid.Empty, null, command.Terms, command.Idempotency, cancellationToken, command.Trader.Value));

    public async Task<Audited<OrderView>> CancelMarketMakerOrderAsync(CancelMarketMakerOrder command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(
            draft,
            command.Idempotency,
            scope => CancelAsync(scope, draft, command.OrderId, o => o.MarketMakerId is not null, CancelledByAdmin, cancellationToken),
            cancellationToken);
        await PublishAsync(result);
        return result;
    }

    public async Task<Audited<OrderView>> CancelClientOrderAsync(CancelClientOrder command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var holderId = await traders.TradingEntityAsync(command.Trader, cancellationToken);
            return await CancelAsync(scope, draft, command.OrderId, o => o.HolderId == holderId, CancelledByUser, cancellationToken);
        }, cancellationToken);
        await PublishAsync(result);
        return result;
    }

    private async Task<Audited<PlacedOrder>> SubmitAsync(Command command, PendingOrder pending)
    {
        // A retry of a committed placement is answered before it spends a ticket number or a place in the queue.
        if (command.Idempotency is { } key && await idempotency.FindAsync(key, pending.CancellationToken) is { } stored)
        {
            return Audited<PlacedOrder>.Replayed(stored);
        }

        return await Telemetry.MarketMakersTelemetry.ObservePlacementAsync(pending.Spec.CertificateType, sequencer.EnqueueAsync(pending));
    }

    private Task PublishAsync(Audited<OrderView> result) =>
        result.IsReplay ? Task.CompletedTask : notifier.PublishAsync(result.Value.CertificateType, CancellationToken.None);

    private static async Task<OrderView> CancelAsync(
        ActionScope scope, TicketDraft draft, OrderId orderId, Func<Order, bool> mayCancel, string reason, CancellationToken cancellationToken)
    {
        var id = orderId.Value;
        var certificate = await scope.Db.Orders.AsNoTracking().Where(o => o.Id == id).Select(o => o.CertificateType).SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Order {id} not found.");

        await InstrumentLock.AcquireAsync(scope.Db, certificate, cancellationToken);
        var order = await scope.Db.Orders.AsTracking().SingleAsync(o => o.Id == id, cancellationToken);
        if (!mayCancel(order))
        {
            throw DomainException.NotFound($"Order {id} not found.");
        }

        draft.MarketMakerId = order.MarketMakerId;
        draft.Before = order.Snapshot();
        draft.RelatedTicketIds.Add(order.TicketId);
        if (!order.IsOpen)
        {
            throw DomainException.Rule($"Order {id} is {order.Status} and cannot be cancelled.");
        }

        var balance = (await LedgerService.LockAsync(scope, [(order.HolderId, order.LockedAsset)], cancellationToken)).Values.Single();
        draft.After = OrderCancellation.CancelAndRelease(scope, order, balance, reason, scope.TicketId);
        await scope.Db.SaveChangesAsync(cancellationToken);
        return OrderView.From(order);
    }
}
