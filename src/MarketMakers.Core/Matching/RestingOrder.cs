namespace MarketMakers.Core.Matching;

/// <summary>
/// An order sitting on the book. Sequence gives time priority within a price level (lower = earlier). GroupKey is
/// the holder's trading group, null when it trades alone (see <see cref="IncomingOrder"/>).
/// </summary>
public readonly record struct RestingOrder(
    Guid OrderId,
    Guid HolderId,
    Side Side,
    decimal Price,
    long RemainingQuantity,
    long Sequence,
    Guid? GroupKey = null)
{
    public Guid TradingKey => GroupKey ?? HolderId;
}
