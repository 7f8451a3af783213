namespace MarketMakers.Core.Values;

/// <summary>Where an order stands. OPEN and PARTIALLY_FILLED rest in the book and keep a ledger lock.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CodeJson<OrderStatus>))]
public sealed record OrderStatus : Code, IParsableCode<OrderStatus>
{
    public static readonly OrderStatus Open = new("OPEN");
    public static readonly OrderStatus PartiallyFilled = new("PARTIALLY_FILLED");
    public static readonly OrderStatus Filled = new("FILLED");
    public static readonly OrderStatus Cancelled = new("CANCELLED");

    private OrderStatus(string value)
        : base(value)
    {
    }

    public static IReadOnlyList<OrderStatus> All { get; } = [Open, PartiallyFilled, Filled, Cancelled];

    public bool IsOpen => this == Open || this == PartiallyFilled;

    public static OrderStatus Parse(string? value) =>
        Find(All, value) ?? throw DomainException.Validation($"Unknown status '{value}'. Use one of {string.Join(", ", All)}.");
}
