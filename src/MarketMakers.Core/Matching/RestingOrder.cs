namespace MarketMakers.Core.Matching;

/// <summary>An order sitting on the book. Sequence gives time priority within a price level (lower = earlier).</summary>
public readonly record struct RestingOrder(
    Guid OrderId,
    Guid HolderId,
    Side Side,
    decimal Price,
    long RemainingQuantity,
    long Sequence);
