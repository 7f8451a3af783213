using System.Text.Json;
using System.Text.Json.Nodes;
using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.MarketMaking;

/// <summary>
/// Market Maker administration and funding. Every state change runs through <see cref="BusinessActionRunner"/>:
/// one transaction with its SUCCESS ticket, or a FAILED ticket when refused. Reads are in <see cref="MarketMakerQueries"/>.
/// </summary>
public sealed class MarketMakerService(
    BusinessActionRunner runner,
    LedgerService ledger,
    UserAccounts users,
    IMarketMakerActivity activity,
    ApprovalService approvals,
    IApprovalQueueNotifier approvalQueue,
    IOrderBookNotifier books)
{
    public const string CancelledByDeactivation = "Cancelled: the Market Maker was deactivated.";

    private readonly InitialBalances _initial = new(ledger, approvals);

    /// <summary>Creates the Market Maker; its initial balances are deposited, or requested when four-eyes is on.</summary>
    public async Task<Audited<MarketMakerView>> CreateAsync(CreateMarketMaker command, CancellationToken cancellationToken = default)
    {
        var created = await CreateWithRequestsAsync(command, cancellationToken);
        return created.Replay is { } replay ? Audited<MarketMakerView>.Replayed(replay) : new(created.Value.MarketMaker, created.TicketId);
    }

    /// <summary>
    /// As <see cref="CreateAsync"/>, with the pending requests of the initial balances when four-eyes is on (null when
    /// it is off and they were deposited at once). The API answers with this.
    /// </summary>
    public async Task<Audited<MarketMakerCreated>> CreateWithRequestsAsync(CreateMarketMaker command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var email = command.Email;
            if (await scope.Db.MarketMakers.AnyAsync(m => m.Email.ToLower() == email.ToLower(), cancellationToken))
            {
                throw DomainException.Conflict($"A Market Maker with email {email} already exists.");
            }

            var id = Guid.CreateVersion7();
            draft.EntityId = id.ToString();
            draft.MarketMakerId = id;
            MarketMaker mm = null!;
            await UniqueAsync(email, async () =>
            {
                scope.Db.Holders.Add(Holder.Create(id, HolderKinds.MarketMaker, command.Name, scope.Now));
                var user = await users.AddAsync(scope, new NewUser(email, null, command.Name, "", Roles.MarketMaker, id), cancellationToken);
                mm = MarketMaker.Create(id, user.Id, command.Name, email, command.Description, scope.Context.UserId, scope.Now, command.OwnerGroup);
                scope.Db.MarketMakers.Add(mm);
                await scope.Db.SaveChangesAsync(cancellationToken);
            });

            var initialTickets = new List<string>();
            List<MovementRequestView>? requests = approvals.Enabled ? [] : null;
            foreach (var amount in command.InitialBalances)
            {
                if (requests is null)
                {
                    initialTickets.Add(await _initial.DepositAsync(scope, id, amount, cancellationToken));
                }
                else
                {
                    var (ticketId, request) = await _initial.RequestAsync(scope, id, amount, cancellationToken);
                    initialTickets.Add(ticketId);
                    requests.Add(request);
                }
            }

            var balances = await CurrentBalancesAsync(scope, id, cancellationToken);
            draft.After = new
            {
                market_maker = mm.Snapshot(),
                initial_balances = command.InitialBalances.ToDictionary(a => a.Asset.Value, a => a.Value),
                deposit_ticket_ids = requests is null ? initialTickets : [],
                request_ticket_ids = requests is null ? [] : initialTickets,
            };
            draft.RelatedTicketIds.AddRange(initialTickets);
            return new MarketMakerCreated(MarketMakerView.From(mm, balances, new MarketActivity(0, 0)), requests);
        }, cancellationToken);
        if (!result.IsReplay && result.Value.Requests is { Count: > 0 })
        {
            await approvalQueue.PublishAsync();
        }

        return result;
    }

    /// <summary>With <c>is_active: false</c> it deactivates, and cancels the Market Maker's open orders, as <see cref="DeactivateAsync"/>.</summary>
    public Task<Audited<MarketMakerView>> UpdateAsync(UpdateMarketMaker command, CancellationToken cancellationToken = default) =>
        ChangeAsync(command, command.MarketMakerId, command.IsActive == false, command.OwnerGroup is not null, async (scope, mm) =>
        {
            mm.Update(command.Name, command.Description, command.IsActive, scope.Now, command.OwnerGroup);
            if (command.Name is not null)
            {
                (await scope.Db.Holders.SingleAsync(h => h.Id == mm.Id, cancellationToken)).Rename(mm.Name);
            }
        }, cancellationToken);

    /// <summary>
    /// Soft delete: the Market Maker is deactivated; its ledger, user and tickets stay. Its open orders are cancelled in
    /// the same action, each with its MM_ORDER_CANCELLED ticket linked to the deactivation's.
    /// </summary>
    public Task<Audited<MarketMakerView>> DeactivateAsync(DeactivateMarketMaker command, CancellationToken cancellationToken = default) =>
        ChangeAsync(command, command.MarketMakerId, true, true, (scope, mm) =>
        {
            mm.Deactivate(scope.Now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// Lock the Market Maker, record it before and after <paramref name="change"/>, and answer with its view. A
    /// deactivation first takes every instrument lock, in key order and before the Market Maker's row, as placements and
    /// cancels take them: no placement for this Market Maker can commit between the change and the cancel of its orders.
    /// A regrouping takes them too: a batch matches with the owner groups it read under its instrument lock, so no batch
    /// straddles the change (wash-trade prevention never uses a stale group).
    /// </summary>
    private async Task<Audited<MarketMakerView>> ChangeAsync(
        Command command, MarketMakerId id, bool deactivating, bool lockBooks, Func<ActionScope, MarketMaker, Task> change, CancellationToken cancellationToken)
    {
        var draft = command.Draft();
        var touched = new HashSet<string>();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            if (deactivating || lockBooks)
            {
                foreach (var certificate in CertificateType.All.OrderBy(c => c.LockKey))
                {
                    await InstrumentLock.AcquireAsync(scope.Db, certificate, cancellationToken);
                }
            }

            var mm = await LoadForUpdateAsync(scope, draft, id, cancellationToken);
            draft.Before = mm.Snapshot();
            await change(scope, mm);
            await scope.Db.SaveChangesAsync(cancellationToken);
            draft.After = deactivating ? await CancelOpenOrdersAsync(scope, mm, touched, cancellationToken) : mm.Snapshot();
            return await ViewAsync(scope, mm, cancellationToken);
        }, cancellationToken);
        if (!result.IsReplay)
        {
            foreach (var certificate in touched)
            {
                await books.PublishAsync(certificate, CancellationToken.None);
            }
        }

        return result;
    }

    /// <summary>Cancels the deactivated Market Maker's open orders; returns the after-state: its snapshot and the cancelled orders.</summary>
    private static async Task<JsonObject> CancelOpenOrdersAsync(ActionScope scope, MarketMaker mm, HashSet<string> touched, CancellationToken cancellationToken)
    {
        var orders = await scope.Db.Orders.AsTracking()
            .Where(o => o.MarketMakerId == mm.Id && (o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyFilled))
            .OrderBy(o => o.Sequence).ToListAsync(cancellationToken);
        var cancelled = await BulkCancellation.CancelWithTicketsAsync(scope, orders, CancelledByDeactivation, "deactivation", cancellationToken);
        touched.UnionWith(cancelled.Select(c => c.CertificateType));
        var after = JsonSerializer.SerializeToNode(mm.Snapshot(), AuditJson.Options)!.AsObject();
        after["cancelled_orders"] = JsonSerializer.SerializeToNode(
            cancelled.Select(c => new { order_id = c.OrderId, ticket_id = c.TicketId }).ToList(), AuditJson.Options);
        return after;
    }

    private static async Task<MarketMaker> LoadForUpdateAsync(
        ActionScope scope, TicketDraft draft, MarketMakerId marketMakerId, CancellationToken cancellationToken)
    {
        var id = marketMakerId.Value;
        draft.EntityId = id.ToString();
        var mm = await scope.Db.MarketMakers
            .FromSql($"SELECT * FROM market_maker_clients WHERE id = {id} FOR UPDATE")
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Market Maker {id} not found.");
        draft.MarketMakerId = mm.Id;
        return mm;
    }

    private async Task<MarketMakerView> ViewAsync(ActionScope scope, MarketMaker mm, CancellationToken cancellationToken)
    {
        var balances = await CurrentBalancesAsync(scope, mm.Id, cancellationToken);
        var counts = await activity.CountAsync([mm.Id], cancellationToken);
        return MarketMakerView.From(mm, balances, counts.GetValueOrDefault(mm.Id));
    }

    /// <summary>Balances as this action's transaction sees them (its own uncommitted writes included).</summary>
    private static async Task<IReadOnlyDictionary<string, BalanceView>> CurrentBalancesAsync(
        ActionScope scope, Guid holderId, CancellationToken cancellationToken)
    {
        var rows = await scope.Db.Balances.AsNoTracking().Where(b => b.HolderId == holderId).ToListAsync(cancellationToken);
        var result = BalanceView.ZeroPerAsset();
        foreach (var row in rows)
        {
            result[row.Asset.Value] = row.ToView();
        }

        return result;
    }

    /// <summary>Two creates racing on one email: the unique index decides, and the loser gets a 409.</summary>
    private static async Task UniqueAsync(string email, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw DomainException.Conflict($"A Market Maker with email {email} already exists.");
        }
    }
}

/// <summary>A created Market Maker and, with four-eyes on, the pending requests of its initial balances (else null).</summary>
public sealed record MarketMakerCreated(MarketMakerView MarketMaker, IReadOnlyList<MovementRequestView>? Requests);
