namespace MarketMakers.Core.Values;

/// <summary>A number of certificates: whole, greater than 0, at most <see cref="Max"/>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(QuantityJson))]
public sealed record Quantity
{
    public const long Max = 1_000_000_000;

    private Quantity(long value) => Value = value;

    public long Value { get; }

    /// <summary>Why <paramref name="quantity"/> is not a valid quantity, or null.</summary>
    public static string? Error(decimal? quantity) => quantity switch
    {
        null => "A quantity is required.",
        <= 0 => "The quantity must be greater than 0.",
        { } q when decimal.Truncate(q) != q => "The quantity must be a whole number of certificates.",
        > Max => $"The quantity must not exceed {Max}.",
        _ => null,
    };

    public static Quantity Parse(decimal? quantity) =>
        Error(quantity) is { } error ? throw DomainException.Validation(error) : new Quantity((long)quantity!.Value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static implicit operator long(Quantity quantity) => quantity.Value;
}
