namespace MarketMakers.Core.Matching;

/// <summary>Intrusive doubly-linked queue node; pooled by OrderBook so steady-state matching does not allocate.</summary>
internal sealed class OrderNode
{
    public Guid OrderId;
    public Guid HolderId;

    // The holder's trading group (its own id when it has none): what self-trade/wash-trade prevention compares.
    public Guid TradingKey;
    public long Sequence;
    public long Remaining;
    public PriceLevel? Level;
    public OrderNode? Prev;
    public OrderNode? Next;

    public RestingOrder ToResting(Side side) =>
        new(OrderId, HolderId, side, PriceTicks.ToPrice(Level!.Ticks), Remaining, Sequence, TradingKey == HolderId ? null : TradingKey);
}
