using MarketMakers.Core.Ledger;

namespace MarketMakers.Core.Approvals;

/// <summary>A movement request as the API (SPEC §3a) and the Approvals page show it.</summary>
public sealed record MovementRequestView(
    Guid Id,
    string Status,
    Guid HolderId,
    string Asset,
    string TransactionType,
    decimal Amount,
    string? Notes,
    Guid RequestedBy,
    DateTimeOffset RequestedAt,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason)
{
    public static MovementRequestView From(MovementRequest r) => new(
        r.Id, r.Status, r.HolderId, r.Asset.Value, r.TransactionType, r.Amount, r.Notes, r.RequestedBy, r.RequestedAt, r.DecidedBy, r.DecidedAt, r.Reason);
}

/// <summary>An approved request with the ledger row it wrote and the holder's balance of that asset afterwards.</summary>
public sealed record ApprovedMovement(MovementRequestView Request, TransactionView Transaction, BalanceView NewBalance);

/// <summary>
/// What a manual movement submitted from a page became: executed at once (approvals off) or a pending request.
/// Exactly one of the two is set.
/// </summary>
public sealed record MovementOutcome(MovementResult? Executed, MovementRequestView? Requested);

/// <summary>A request with the names the Approvals page shows next to it.</summary>
public sealed record MovementRequestRow(
    MovementRequestView Request, string HolderName, string HolderKind, string RequestedByEmail, string? DecidedByEmail, DateTimeOffset ExpiresAt);
