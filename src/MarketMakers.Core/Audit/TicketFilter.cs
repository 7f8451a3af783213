namespace MarketMakers.Core.Audit;

/// <summary>Every filter of <c>GET /logging/tickets</c>. Empty lists and nulls mean "any".</summary>
public sealed record TicketFilter
{
    public DateTimeOffset? DateFrom { get; init; }

    public DateTimeOffset? DateTo { get; init; }

    public IReadOnlyList<string> ActionTypes { get; init; } = [];

    public Guid? UserId { get; init; }

    public Guid? MarketMakerId { get; init; }

    public string? Status { get; init; }

    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    /// <summary>A ticket id, or a tag.</summary>
    public string? Search { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Only tickets that concern a Market Maker (the MM Actions view).</summary>
    public bool MarketMakerActionsOnly { get; init; }

    /// <summary>
    /// A ticket id that pins the set to tickets at or below it (by year and number), so paging stays stable
    /// while new tickets arrive. Null means "up to the newest".
    /// </summary>
    public string? AsOf { get; init; }
}
