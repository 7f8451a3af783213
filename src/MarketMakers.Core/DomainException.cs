namespace MarketMakers.Core;

/// <summary>How a rejected action maps onto the API's error statuses.</summary>
public enum DomainErrorKind
{
    /// <summary>Malformed or out-of-range input (422).</summary>
    Validation,
    /// <summary>A business rule refused the action, e.g. insufficient funds (400).</summary>
    BusinessRule,
    /// <summary>The target does not exist (404).</summary>
    NotFound,
    /// <summary>A uniqueness or idempotency conflict (409).</summary>
    Conflict,
    /// <summary>Credentials were refused (401).</summary>
    Unauthorized,
    /// <summary>The caller is known but may not do this, e.g. approving their own request (403).</summary>
    Forbidden,
    /// <summary>The action broke unexpectedly; the audit trail has the details (500).</summary>
    Internal,
    /// <summary>A backing service (PostgreSQL) is down and nothing was changed; the caller may retry shortly (503).</summary>
    Unavailable,
}

/// <summary>
/// The one exception type the domain throws. <see cref="Exception.Message"/> is safe to show a user;
/// <see cref="Reason"/> is the fuller explanation kept only in the FAILED ticket (e.g. why a sign-in was refused).
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(DomainErrorKind kind, string message, string? reason = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Reason = reason;
    }

    public DomainErrorKind Kind { get; }

    public string? Reason { get; }

    /// <summary>The FAILED ticket written for this rejection, once the audit runner has recorded it.</summary>
    public string? TicketId { get; private set; }

    internal DomainException WithTicket(string ticketId)
    {
        TicketId = ticketId;
        return this;
    }

    public static DomainException Validation(string message) => new(DomainErrorKind.Validation, message);

    public static DomainException Rule(string message) => new(DomainErrorKind.BusinessRule, message);

    public static DomainException NotFound(string message) => new(DomainErrorKind.NotFound, message);

    public static DomainException Conflict(string message) => new(DomainErrorKind.Conflict, message);

    public static DomainException Forbidden(string message) => new(DomainErrorKind.Forbidden, message);
}
