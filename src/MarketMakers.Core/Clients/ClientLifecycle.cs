using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Clients;

/// <summary>Moves a client between PENDING, APPROVED and FUNDED, or deactivates/reactivates it (<c>PUT /api/v1/admin/users/{id}</c>).</summary>
public sealed record UpdateClientUser(AccessChange Change) : Command
{
    public override TicketDraft Draft() => Change.Ticket("client");
}

public sealed record ClientAccessView(Guid Id, string Email, string Role, bool IsActive, Guid? EntityId, IReadOnlyList<string> CancelledOrderIds);

/// <summary>
/// A client's lifecycle. One transaction holds the access change, its ticket, and, for a deactivation, the cancel of
/// every open order of the client's entity: under every instrument lock (so no placement of this client can slip in
/// between), each order is cancelled, its lock released with a TRADE_CREDIT row, and an ORDER_CANCELLED ticket
/// linked to the deactivation. The book change is published and the user's sessions are notified after commit.
/// </summary>
public sealed class ClientLifecycleService(BusinessActionRunner runner, IUserSessionEvents sessions, IOrderBookNotifier notifier)
{
    public const string CancelledByDeactivation = "Cancelled: the client was deactivated.";

    public async Task<Audited<ClientAccessView>> UpdateAsync(UpdateClientUser command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var change = command.Change;
        var touched = new HashSet<string>();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var deactivating = change.IsActive == false;
            if (deactivating)
            {
                // The same order as every placement and cancel takes them: one lock at a time, by key.
                foreach (var certificate in CertificateType.All.OrderBy(c => c.LockKey))
                {
                    await InstrumentLock.AcquireAsync(scope.Db, certificate, cancellationToken);
                }
            }

            var user = await UserAccounts.LockAsync(scope, change.User.Value, cancellationToken);
            var role = await UserAccounts.RoleOfAsync(scope, user.Id, cancellationToken);
            if (!Roles.Client.Contains(role) || user.EntityId is null)
            {
                throw DomainException.NotFound($"Client user {user.Id} not found.");
            }

            draft.UserId = user.Id;
            draft.Before = new { id = user.Id, email = user.Email, role, is_active = user.IsActive };
            var wasActive = user.IsActive;
            var after = await StaffService.ApplyAsync(scope, user, role, change, cancellationToken);
            var cancelled = deactivating && wasActive
                ? await CancelOpenOrdersAsync(scope, user.EntityId.Value, touched, cancellationToken)
                : [];
            draft.After = new { id = user.Id, email = user.Email, role = after.Role, is_active = after.IsActive, cancelled_orders = cancelled };
            return new ClientAccessView(user.Id, user.Email ?? "", after.Role, after.IsActive, user.EntityId, cancelled.Select(c => c.OrderId).ToList());
        }, cancellationToken);
        if (!result.IsReplay)
        {
            await sessions.UserChangedAsync(change.User.Value);
            foreach (var certificate in touched)
            {
                await notifier.PublishAsync(certificate, CancellationToken.None);
            }
        }

        return result;
    }

    private static async Task<List<CancelledOrderId>> CancelOpenOrdersAsync(
        ActionScope scope, Guid entityId, HashSet<string> touched, CancellationToken cancellationToken)
    {
        var orders = await scope.Db.Orders.AsTracking()
            .Where(o => o.HolderId == entityId && (o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyFilled))
            .OrderBy(o => o.Sequence).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            return [];
        }

        var cancelled = await BulkCancellation.CancelWithTicketsAsync(scope, orders, CancelledByDeactivation, "deactivation", cancellationToken);
        touched.UnionWith(cancelled.Select(c => c.CertificateType));
        return cancelled.Select(c => new CancelledOrderId(c.OrderId.ToString(), c.TicketId)).ToList();
    }

    /// <summary>What the deactivation ticket's after-state records of each order (the shape it has always had).</summary>
    private sealed record CancelledOrderId(string OrderId, string TicketId);
}

