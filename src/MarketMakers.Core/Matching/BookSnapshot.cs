namespace MarketMakers.Core.Matching;

/// <summary>Aggregated view of the top of the book. Bids best (highest) first, asks best (lowest) first.</summary>
public sealed record BookSnapshot(
    IReadOnlyList<DepthLevel> Bids,
    IReadOnlyList<DepthLevel> Asks,
    decimal? BestBid,
    decimal? BestAsk)
{
    public decimal? Spread => BestBid is { } b && BestAsk is { } a ? a - b : null;

    public decimal? MidPrice => BestBid is { } b && BestAsk is { } a ? (a + b) / 2m : null;
}
