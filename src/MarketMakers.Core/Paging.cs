namespace MarketMakers.Core;

/// <summary>One page of a list plus the size of the whole list (paging).</summary>
public sealed record Page<T>(int Total, IReadOnlyList<T> Items);

/// <summary>limit (default 100, at most 1000) and offset, clamped to what the API promises.</summary>
public readonly record struct PageRequest(int Limit, int Offset)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static PageRequest Of(int? limit, int? offset) =>
        new(Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit), Math.Max(0, offset ?? 0));
}
