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
}
