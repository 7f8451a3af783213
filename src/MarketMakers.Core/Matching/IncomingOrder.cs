namespace MarketMakers.Core.Matching;

/// <summary>
/// A new limit order. The caller assigns Sequence (e.g. from the DB order sequence) so a rebuilt book
/// has the same time priority as the live one; the engine never reads a clock.
/// </summary>
public readonly record struct IncomingOrder(
    Guid OrderId,
    Guid HolderId,
    Side Side,
    decimal Price,
    long Quantity,
    long Sequence);
