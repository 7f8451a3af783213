namespace MarketMakers.Core.Matching;

/// <summary>The read-only views of the book: its orders in priority order, a deep copy and the aggregated depth.</summary>
public sealed partial class OrderBook
{
    /// <summary>Resting orders of one side in priority order (best price first, then earliest sequence).</summary>
    public IEnumerable<RestingOrder> Orders(Side side)
    {
        BookSide book = side == Side.Buy ? _bids : _asks;
        for (int d = 0; d < book.LevelCount; d++)
        {
            for (OrderNode? n = book.LevelFromBest(d).Head; n is not null; n = n.Next)
            {
                yield return n.ToResting(side);
            }
        }
    }

    /// <summary>A deep copy with identical priority; lets tests and the functional API keep old states.</summary>
    public OrderBook Clone()
    {
        var copy = new OrderBook();
        copy.Load(Orders(Side.Buy));
        copy.Load(Orders(Side.Sell));
        return copy;
    }

    /// <summary>Top <paramref name="depth"/> levels per side, aggregated by price.</summary>
    public BookSnapshot Snapshot(int depth = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        return new BookSnapshot(Depth(_bids, depth), Depth(_asks, depth), BestBid, BestAsk);
    }

    private static DepthLevel[] Depth(BookSide side, int depth)
    {
        int n = Math.Min(depth, side.LevelCount);
        var result = new DepthLevel[n];
        long cumulative = 0;
        for (int d = 0; d < n; d++)
        {
            PriceLevel level = side.LevelFromBest(d);
            cumulative += level.TotalQuantity;
            result[d] = new DepthLevel(PriceTicks.ToPrice(level.Ticks), level.TotalQuantity, level.OrderCount, cumulative);
        }

        return result;
    }
}
