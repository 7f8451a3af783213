using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Approvals;

/// <summary>
/// Four-eyes control of manual ledger movements (SPEC §3a, docs/decisions/0010-four-eyes-approvals.md). A request
/// is validated and stored PENDING with its LEDGER_MOVEMENT_REQUESTED ticket; an ADMIN other than the requester
/// approves it, and the approval executes the movement through the ordinary ledger path in the same transaction as
/// the state change and the LEDGER_MOVEMENT_APPROVED ticket, whose id the ledger row carries.
/// </summary>
public sealed class ApprovalService(
    BusinessActionRunner runner,
    LedgerService ledger,
    LedgerMovementService movements,
    IOptions<ApprovalOptions> options,
    IApprovalQueueNotifier notifier)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// A manual movement, from a page or the API: a pending request when four-eyes is on, else executed at once. A
    /// replay passes the first answer through unchanged.
    /// </summary>
    public async Task<Audited<MovementOutcome>> SubmitAsync(MoveAssets command, CancellationToken cancellationToken = default)
    {
        // The caller's key renders a MovementOutcome; the action underneath stores its own value, so lift it first.
        var key = command.Idempotency is { } k ? k with { RenderResponse = (value, ticketId) => k.RenderResponse(Outcome(value), ticketId) } : null;
        if (!Enabled)
        {
            var done = await movements.MoveAsync(command with { Idempotency = key }, cancellationToken);
            return done.Replay is { } replay ? Audited<MovementOutcome>.Replayed(replay) : new(new MovementOutcome(done.Value, null), done.TicketId);
        }

        var requested = await RequestAsync(new RequestMovement(command) { Idempotency = key }, cancellationToken);
        return requested.Replay is { } stored ? Audited<MovementOutcome>.Replayed(stored) : new(new MovementOutcome(null, requested.Value), requested.TicketId);
    }

    private static MovementOutcome Outcome(object? value) => value switch
    {
        MovementResult executed => new MovementOutcome(executed, null),
        MovementRequestView requested => new MovementOutcome(null, requested),
        _ => throw new InvalidOperationException($"A movement cannot store {value?.GetType().Name ?? "null"}."),
    };

    /// <summary>The FAILED ticket of a movement refused before it could be parsed: a request's while four-eyes is on.</summary>
    public TicketDraft RefusedTicket(TicketDraft movement) => Enabled ? RequestMovement.Ticket(movement) : movement;

    /// <summary>Validates the movement as it would be executed (holder, active MM, amount); coverage is checked at approval.</summary>
    public async Task<Audited<MovementRequestView>> RequestAsync(RequestMovement command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var holderId = await LedgerMovementService.ResolveAsync(scope, command.Movement.Holder, cancellationToken);
            var request = AddRequest(scope, holderId, command.Movement, scope.TicketId);
            await scope.Db.SaveChangesAsync(cancellationToken);
            var view = MovementRequestView.From(request);
            draft.EntityId = request.Id.ToString();
            draft.After = new { request = view, expires_at = request.ExpiresAt };
            return view;
        }, cancellationToken);
        await PublishAsync(result);
        return result;
    }

    /// <summary>
    /// Stores a pending request inside the caller's action (an MM's initial balances are requested by its creation);
    /// <paramref name="ticketId"/> is the request's own LEDGER_MOVEMENT_REQUESTED ticket. The caller publishes after commit.
    /// </summary>
    internal MovementRequest AddRequest(ActionScope scope, Guid holderId, MoveAssets movement, string ticketId)
    {
        var actor = scope.Context.UserId ?? throw DomainException.Forbidden("A movement request needs a signed-in requester.");
        var request = MovementRequest.Create(
            holderId, movement.Holder is LedgerHolder.MarketMaker mm ? mm.Id.Value : null, movement.Amount.Asset, movement.Type.Value,
            movement.Amount.Value, movement.Notes, actor, scope.Now, options.Value.ExpiresAfter, ticketId);
        scope.Db.MovementRequests.Add(request);
        return request;
    }

    public async Task<Audited<ApprovedMovement>> ApproveAsync(ApproveMovement command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var (request, approver) = await LockPendingAsync(scope, draft, command.RequestId, cancellationToken);
            if (request.RequestedBy == approver)
            {
                throw DomainException.Forbidden("You cannot approve your own request: a second administrator must approve it.");
            }

            LedgerEntry entry;
            try
            {
                var holderId = request.MarketMakerId is { } mm
                    ? await LedgerMovementService.ResolveAsync(scope, new LedgerHolder.MarketMaker(new MarketMakerId(mm)), cancellationToken)
                    : request.HolderId;
                entry = await ledger.MoveAsync(scope, holderId, MovementType.Parse(request.TransactionType), Amount.Parse(request.Asset, request.Amount),
                    request.Notes, scope.TicketId, cancellationToken);
            }
            catch (DomainException broken) when (broken.Kind is DomainErrorKind.BusinessRule)
            {
                // The movement breaks a rule now (e.g. the withdrawal is no longer covered): the request ends FAILED,
                // committed with this attempt's FAILED LEDGER_MOVEMENT_APPROVED ticket, and nothing moves.
                request.Fail(approver, scope.Now, scope.TicketId, broken.Message);
                await scope.Db.SaveChangesAsync(cancellationToken);
                scope.KeepChangesOnRejection = true;
                throw DomainException.Rule($"{broken.Message} The request is now {MovementRequestStatus.Failed}; nothing was moved.");
            }

            request.Approve(approver, scope.Now, scope.TicketId, entry.Transaction.Id);
            await scope.Db.SaveChangesAsync(cancellationToken);
            var view = MovementRequestView.From(request);
            var transaction = TransactionView.From(entry.Transaction, request.MarketMakerId is not null);
            draft.After = new { request = view, asset = request.Asset.Value, balance = entry.After, transaction };
            return new ApprovedMovement(view, transaction, entry.After);
        }, cancellationToken);
        await PublishAsync(result);
        return result;
    }

    public async Task<Audited<MovementRequestView>> RejectAsync(RejectMovement command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            // The requester may withdraw their own request this way: rejecting moves nothing.
            var (request, decider) = await LockPendingAsync(scope, draft, command.RequestId, cancellationToken);
            request.Reject(decider, scope.Now, scope.TicketId, command.Reason);
            await scope.Db.SaveChangesAsync(cancellationToken);
            var view = MovementRequestView.From(request);
            draft.After = new { request = view };
            return view;
        }, cancellationToken);
        await PublishAsync(result);
        return result;
    }

    /// <summary>
    /// Lock the request, link its earlier tickets, then check: the actor is an active ADMIN now (read from the
    /// database under a share lock, so a concurrent demotion waits or is seen) and the request is still PENDING.
    /// The row lock makes two concurrent decisions queue; the second sees the first's outcome and gets 409.
    /// </summary>
    private static async Task<(MovementRequest Request, Guid Actor)> LockPendingAsync(
        ActionScope scope, TicketDraft draft, MovementRequestId id, CancellationToken cancellationToken)
    {
        var request = await scope.Db.MovementRequests
            .FromSql($"SELECT * FROM movement_requests WHERE id = {id.Value} FOR UPDATE")
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Movement request {id} not found.");
        draft.MarketMakerId = request.MarketMakerId;
        draft.Before = MovementRequestView.From(request);
        var entityId = id.ToString();
        draft.RelatedTicketIds.AddRange(await scope.Db.Tickets.AsNoTracking()
            .Where(t => t.EntityId == entityId && t.EntityType == EntityTypes.MovementRequest)
            .OrderBy(t => t.Year).ThenBy(t => t.Number)
            .Select(t => t.TicketId)
            .ToListAsync(cancellationToken));
        if (!draft.RelatedTicketIds.Contains(request.RequestTicketId))
        {
            draft.RelatedTicketIds.Insert(0, request.RequestTicketId);
        }

        var actor = scope.Context.UserId ?? throw DomainException.Forbidden("Only a signed-in administrator can decide a movement request.");
        var isAdmin = await scope.Db.Database.SqlQuery<int>($"""
            SELECT 1 AS "Value" FROM users u
            JOIN user_roles ur ON ur.user_id = u.id
            JOIN roles r ON r.id = ur.role_id
            WHERE u.id = {actor} AND u.is_active AND r.name = {Roles.Admin}
            FOR SHARE OF u, ur
            """).ToListAsync(cancellationToken);
        if (isAdmin.Count == 0)
        {
            throw DomainException.Forbidden("Only an active ADMIN can decide a movement request.");
        }

        if (!request.IsPending)
        {
            throw DomainException.Conflict($"This request is already {request.Status}.");
        }

        if (request.ExpiresAt <= scope.Now)
        {
            throw DomainException.Conflict($"This request expired at {request.ExpiresAt:u}.");
        }

        return (request, actor);
    }

    private async Task PublishAsync<T>(Audited<T> result)
    {
        if (!result.IsReplay)
        {
            await notifier.PublishAsync();
        }
    }
}
