namespace MarketMakers.Core.Audit;

/// <summary>
/// One audited action. Immutable once written: the database refuses UPDATE and DELETE.
/// Payload columns hold JSON text (jsonb) that has already been through <see cref="AuditJson"/> redaction.
/// </summary>
public sealed class Ticket
{
    private Ticket()
    {
    }

    public string TicketId { get; private set; } = "";

    /// <summary>Year and number of the id, kept as columns so the counter can be re-seeded and tickets ordered by index.</summary>
    public int Year { get; private set; }

    public long Number { get; private set; }

    public DateTimeOffset Timestamp { get; private set; }

    public Guid? UserId { get; private set; }

    public Guid? MarketMakerId { get; private set; }

    public string ActionType { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string? EntityId { get; private set; }

    public string Status { get; private set; } = "";

    public string? RequestPayload { get; private set; }

    public string? ResponseData { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? SessionId { get; private set; }

    public string? BeforeState { get; private set; }

    public string? AfterState { get; private set; }

    public string[] RelatedTicketIds { get; private set; } = [];

    public string[] Tags { get; private set; } = [];

    internal static Ticket Create(TicketDraft draft, TicketNumber id, string status, RequestContext context)
    {
        if (!ActionTypes.IsKnown(draft.ActionType))
        {
            throw new InvalidOperationException($"Unknown action type '{draft.ActionType}'; add it to ActionTypes.");
        }

        return new Ticket
        {
            TicketId = id.Value,
            Year = id.Year,
            Number = id.Number,
            Timestamp = id.IssuedAt,
            UserId = draft.UserId ?? context.UserId,
            MarketMakerId = draft.MarketMakerId,
            ActionType = draft.ActionType,
            EntityType = draft.EntityType,
            EntityId = Truncate(draft.EntityId, 64),
            Status = status,
            RequestPayload = AuditJson.Serialize(draft.Request),
            ResponseData = AuditJson.Serialize(draft.Response),
            IpAddress = Truncate(context.IpAddress, 45),
            UserAgent = Truncate(context.UserAgent, 512),
            SessionId = Truncate(draft.SessionId ?? context.SessionId, 64),
            BeforeState = AuditJson.Serialize(draft.Before),
            AfterState = AuditJson.Serialize(draft.After),
            RelatedTicketIds = [.. draft.RelatedTicketIds],
            Tags = [.. draft.Tags],
        };
    }

    /// <summary>Caps a column's length and drops NUL characters, which PostgreSQL text cannot store.</summary>
    private static string? Truncate(string? value, int max)
    {
        value = AuditJson.WithoutNul(value);
        return value is { Length: > 0 } && value.Length > max ? value[..max] : value;
    }
}

/// <summary>The mutable description of a ticket while its action runs.</summary>
public sealed class TicketDraft(string actionType, string entityType)
{
    public string ActionType { get; set; } = actionType;

    /// <summary>The action type of the FAILED ticket, when it differs (a refused LOGIN_SUCCESS is a LOGIN_FAILED).</summary>
    public string? FailedActionType { get; set; }

    public string EntityType { get; set; } = entityType;

    public string? EntityId { get; set; }

    public Guid? UserId { get; set; }

    public Guid? MarketMakerId { get; set; }

    /// <summary>Overrides the request's session, for the sign-in that starts a new one.</summary>
    public string? SessionId { get; set; }

    public object? Request { get; set; }

    public object? Response { get; set; }

    public object? Before { get; set; }

    public object? After { get; set; }

    public List<string> RelatedTicketIds { get; } = [];

    public List<string> Tags { get; } = [];
}
