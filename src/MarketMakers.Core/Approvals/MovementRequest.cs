using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.Approvals;

/// <summary>The states of a four-eyes movement request. Only PENDING can change, and only once.</summary>
public static class MovementRequestStatus
{
    public const string Pending = "PENDING";
    public const string Approved = "APPROVED";
    public const string Rejected = "REJECTED";
    public const string Expired = "EXPIRED";
    /// <summary>Approved, but the movement broke a rule at that moment (e.g. the withdrawal is no longer covered).</summary>
    public const string Failed = "FAILED";

    public static IReadOnlyList<string> All { get; } = [Pending, Approved, Rejected, Expired, Failed];
}

/// <summary>
/// A manual ledger movement waiting for a second person. Nothing moves until an ADMIN other than the requester
/// approves it; the approval executes the movement in the same transaction as the state change.
/// </summary>
public sealed class MovementRequest
{
    private MovementRequest()
    {
    }

    public Guid Id { get; private set; }

    public string Status { get; private set; } = MovementRequestStatus.Pending;

    /// <summary>The ledger holder the movement is for (an MM's or a client entity's holder id).</summary>
    public Guid HolderId { get; private set; }

    /// <summary>Set when the holder is a Market Maker, for filtering and tickets.</summary>
    public Guid? MarketMakerId { get; private set; }

    public Asset Asset { get; private set; } = Asset.Eur;

    /// <summary>DEPOSIT or WITHDRAWAL.</summary>
    public string TransactionType { get; private set; } = "";

    public decimal Amount { get; private set; }

    public string? Notes { get; private set; }

    public Guid RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public Guid? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Why it was rejected, or which rule the approved movement broke.</summary>
    public string? Reason { get; private set; }

    public string RequestTicketId { get; private set; } = "";

    public string? DecisionTicketId { get; private set; }

    /// <summary>The ledger row the approval wrote (asset_transactions.id).</summary>
    public long? TransactionId { get; private set; }

    public bool IsPending => Status == MovementRequestStatus.Pending;

    public static MovementRequest Create(
        Guid holderId, Guid? marketMakerId, Asset asset, string transactionType, decimal amount, string? notes,
        Guid requestedBy, DateTimeOffset now, TimeSpan expiresAfter, string requestTicketId) => new()
    {
        Id = Guid.CreateVersion7(),
        HolderId = holderId,
        MarketMakerId = marketMakerId,
        Asset = asset,
        TransactionType = transactionType,
        Amount = amount,
        Notes = notes,
        RequestedBy = requestedBy,
        RequestedAt = now,
        ExpiresAt = now + expiresAfter,
        RequestTicketId = requestTicketId,
    };

    public void Approve(Guid approver, DateTimeOffset now, string ticketId, long transactionId)
    {
        Decide(MovementRequestStatus.Approved, approver, now, ticketId, null);
        TransactionId = transactionId;
    }

    public void Reject(Guid approver, DateTimeOffset now, string ticketId, string reason) =>
        Decide(MovementRequestStatus.Rejected, approver, now, ticketId, reason);

    public void Fail(Guid approver, DateTimeOffset now, string ticketId, string reason) =>
        Decide(MovementRequestStatus.Failed, approver, now, ticketId, reason);

    public void Expire(DateTimeOffset now, string ticketId) =>
        Decide(MovementRequestStatus.Expired, null, now, ticketId, "expired before a second administrator decided");

    private void Decide(string status, Guid? by, DateTimeOffset now, string ticketId, string? reason)
    {
        if (!IsPending)
        {
            throw DomainException.Conflict($"This request is already {Status}.");
        }

        Status = status;
        DecidedBy = by;
        DecidedAt = now;
        DecisionTicketId = ticketId;
        Reason = reason;
    }
}
