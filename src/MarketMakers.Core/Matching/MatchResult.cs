namespace MarketMakers.Core.Matching;

/// <summary>
/// Outcome of matching one incoming order. Always Quantity = FilledQuantity + RestingQuantity + CancelledQuantity.
/// </summary>
public readonly record struct MatchResult(
    Guid OrderId,
    IReadOnlyList<Fill> Fills,
    long FilledQuantity,
    long RestingQuantity,
    long CancelledQuantity,
    CancelReason CancelReason,
    string? CancelMessage)
{
    public bool WasCancelled => CancelReason != CancelReason.None;

    /// <summary>Whose resting order stopped the incoming one (self-trade or wash-trade prevention), for the message.</summary>
    public Guid? BlockingHolderId { get; init; }

    /// <summary>The price of the resting order that stopped it.</summary>
    public decimal? BlockingPrice { get; init; }
}
