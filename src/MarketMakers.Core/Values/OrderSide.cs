using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Values;

/// <summary>BUY or SELL. The matching engine keeps its own <see cref="Side"/> enum; <see cref="Engine"/> maps to it.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CodeJson<OrderSide>))]
public sealed record OrderSide : Code, IParsableCode<OrderSide>
{
    public static readonly OrderSide Buy = new("BUY", Side.Buy);
    public static readonly OrderSide Sell = new("SELL", Side.Sell);

    private OrderSide(string value, Side engine)
        : base(value) => Engine = engine;

    public static IReadOnlyList<OrderSide> All { get; } = [Buy, Sell];

    public Side Engine { get; }

    public static OrderSide Parse(string? value) =>
        Find(All, value) ?? throw DomainException.Validation($"Unknown side '{value}'. Use BUY or SELL.");
}
