namespace MarketMakers.Core.Matching;

/// <summary>One aggregated price level; CumulativeQuantity sums this and all better levels on the same side.</summary>
public readonly record struct DepthLevel(decimal Price, long Quantity, int OrderCount, long CumulativeQuantity);
