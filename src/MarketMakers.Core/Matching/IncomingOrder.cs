namespace MarketMakers.Core.Matching;

/// <summary>
/// A new limit order. The caller assigns Sequence (e.g. from the DB order sequence) so a rebuilt book
/// has the same time priority as the live one; the engine never reads a clock. <paramref name="GroupKey"/> is the
/// holder's trading group (<see cref="TradingGroup"/>): null means the holder trades alone.
/// </summary>
public readonly record struct IncomingOrder(
    Guid OrderId,
    Guid HolderId,
    Side Side,
    decimal Price,
    long Quantity,
    long Sequence,
    Guid? GroupKey = null)
{
    /// <summary>The key self-trade and wash-trade prevention compare: two orders with one key never trade.</summary>
    public Guid TradingKey => GroupKey ?? HolderId;
}
