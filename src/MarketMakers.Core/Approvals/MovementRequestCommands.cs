using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.Approvals;

/// <summary>The id of a movement request.</summary>
public readonly record struct MovementRequestId(Guid Value)
{
    public static MovementRequestId Parse(string? text) =>
        Guid.TryParse(text?.Trim(), out var id) ? new(id) : throw DomainException.Validation($"'{text}' is not a valid movement request id.");

    public override string ToString() => Value.ToString();
}

/// <summary>Asks for a manual movement (LEDGER_MOVEMENT_REQUESTED). Nothing moves until a second admin approves it.</summary>
public sealed record RequestMovement(MoveAssets Movement) : Command
{
    public override TicketDraft Draft() => Ticket(Movement.Draft());

    /// <summary>
    /// The request's ticket from the movement's (same request payload, holder and tags), also for a request refused
    /// before it could be parsed.
    /// </summary>
    public static TicketDraft Ticket(TicketDraft movement)
    {
        movement.ActionType = ActionTypes.LedgerMovementRequested;
        movement.EntityType = EntityTypes.MovementRequest;
        movement.Tags.AddRange(["four_eyes", "request"]);
        return movement;
    }
}

/// <summary>A second admin executes a pending request (LEDGER_MOVEMENT_APPROVED).</summary>
public sealed record ApproveMovement(MovementRequestId RequestId) : Command
{
    public override TicketDraft Draft() => Ticket(RequestId.ToString());

    public static TicketDraft Ticket(string? requestId) => Decision(ActionTypes.LedgerMovementApproved, requestId, new { request_id = requestId }, "approve");

    internal static TicketDraft Decision(string actionType, string? requestId, object? request, string tag)
    {
        var draft = new TicketDraft(actionType, EntityTypes.MovementRequest) { EntityId = requestId, Request = request };
        draft.Tags.AddRange(["four_eyes", tag]);
        return draft;
    }
}

/// <summary>An admin turns a pending request down, with a reason (LEDGER_MOVEMENT_REJECTED).</summary>
public sealed record RejectMovement : Command
{
    public const int MaxReasonLength = 500;

    private RejectMovement(MovementRequestId requestId, string reason) => (RequestId, Reason) = (requestId, reason);

    public MovementRequestId RequestId { get; }

    public string Reason { get; }

    public static RejectMovement Parse(MovementRequestId requestId, string? reason)
    {
        var trimmed = reason?.Trim();
        return trimmed switch
        {
            null or "" => throw DomainException.Validation("A reason is required to reject a request."),
            { Length: > MaxReasonLength } => throw DomainException.Validation($"The reason may have at most {MaxReasonLength} characters."),
            _ => new RejectMovement(requestId, trimmed),
        };
    }

    public override TicketDraft Draft() => Ticket(RequestId.ToString(), new { request_id = RequestId.ToString(), reason = Reason });

    public static TicketDraft Ticket(string? requestId, object? request) =>
        ApproveMovement.Decision(ActionTypes.LedgerMovementRejected, requestId, request, "reject");
}
