using MarketMakers.Core.Idempotency;

namespace MarketMakers.Core.Audit;

/// <summary>
/// A business command: values already parsed at the boundary (so a service never sees bad input), the optional
/// idempotency key its caller chose, and the ticket it is recorded under. Services take one command each.
/// </summary>
public abstract record Command
{
    /// <summary>The API's Idempotency-Key or a form's submission key: with it, a retry replays the first outcome.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IdempotencyRequest? Idempotency { get; init; }

    /// <summary>This command with <paramref name="key"/> (the boundary parses the command and the key separately).</summary>
    public Command WithIdempotency(IdempotencyRequest? key) => this with { Idempotency = key };

    /// <summary>The SUCCESS (or FAILED) ticket the command is recorded under; the service fills in what it learns.</summary>
    public abstract TicketDraft Draft();
}
