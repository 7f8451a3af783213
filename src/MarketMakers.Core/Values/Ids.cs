namespace MarketMakers.Core.Values;

/// <summary>Parses the ids a request names. A malformed id is bad input (422), worded for the kind of thing it names.</summary>
internal static class IdText
{
    public static Guid Parse(string? text, string what) =>
        Guid.TryParse(text?.Trim(), out var id) ? id : throw DomainException.Validation($"'{text}' is not a valid {what} id.");
}

/// <summary>The id of a Market Maker (also its ledger holder id).</summary>
public readonly record struct MarketMakerId(Guid Value)
{
    public static MarketMakerId Parse(string? text) => new(IdText.Parse(text, "Market Maker"));

    public override string ToString() => Value.ToString();
}

/// <summary>The id of an order.</summary>
public readonly record struct OrderId(Guid Value)
{
    public static OrderId Parse(string? text) => new(IdText.Parse(text, "order"));

    public override string ToString() => Value.ToString();
}

/// <summary>The id of a user (staff or client).</summary>
public readonly record struct UserId(Guid Value)
{
    public static UserId Parse(string? text) => new(IdText.Parse(text, "user"));

    public override string ToString() => Value.ToString();
}
