namespace MarketMakers.Core.Values;

/// <summary>A limit price in EUR per certificate: greater than 0, on the 0.01 tick, at most <see cref="Max"/>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PriceJson))]
public sealed record Price
{
    /// <summary>numeric(12,2) allows more; this keeps price × quantity far inside numeric(20,2).</summary>
    public const decimal Max = 1_000_000m;

    private Price(decimal value) => Value = value;

    public decimal Value { get; }

    /// <summary>Why <paramref name="price"/> is not a valid price, or null. Forms use it to pre-check with the same words.</summary>
    public static string? Error(decimal? price) => price switch
    {
        null => "A price is required.",
        <= 0 => "The price must be greater than 0.",
        { } p when decimal.Round(p, 2) != p => "The price must be on the 0.01 tick.",
        > Max => $"The price must not exceed {Max:0}.",
        _ => null,
    };

    public static Price Parse(decimal? price) =>
        Error(price) is { } error ? throw DomainException.Validation(error) : new Price(decimal.Round(price!.Value, 2));

    /// <summary>A price the database or the engine already holds (valid by construction there).</summary>
    internal static Price Trusted(decimal value) => new(value);

    public override string ToString() => Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    public static implicit operator decimal(Price price) => price.Value;
}
