namespace MarketMakers.Core.Values;

/// <summary>
/// A positive amount of one asset, in the asset's unit: whole certificates, or EUR with at most 2 decimals (a cash
/// amount). At most <see cref="Max"/>, so no amount can overflow a numeric(20,2) column.
/// </summary>
public sealed record Amount
{
    public const decimal Max = 1_000_000_000_000m;

    private Amount(Asset asset, decimal value) => (Asset, Value) = (asset, value);

    public Asset Asset { get; }

    public decimal Value { get; }

    /// <summary>Why <paramref name="amount"/> is not a positive amount of <paramref name="asset"/>, or null.</summary>
    public static string? Error(Asset asset, decimal? amount) => amount switch
    {
        null => "An amount is required.",
        <= 0 => "The amount must be greater than 0.",
        > Max => $"The amount must not exceed {Max:0}.",
        { } v when decimal.Round(v, 2) != v => "The amount may have at most 2 decimals.",
        { } v when asset.IsCertificate && decimal.Truncate(v) != v => $"{asset} amounts must be whole certificates.",
        _ => null,
    };

    public static Amount Parse(Asset asset, decimal? amount) =>
        Error(asset, amount) is { } error ? throw DomainException.Validation(error) : new Amount(asset, amount!.Value);

    /// <summary>A cash amount: EUR, at most 2 decimals.</summary>
    public static Amount Cash(decimal? amount) => Parse(Asset.Eur, amount);

    public override string ToString() => $"{Value} {Asset}";
}
