namespace MarketMakers.Core.Matching;

/// <summary>A FIFO queue of orders at one price, with running totals so depth snapshots are O(levels).</summary>
internal sealed class PriceLevel
{
    public Side Side;
    public long Ticks;

    // Sort key shared by both sides: ticks for bids, -ticks for asks, so "best" is always the largest key.
    public long Key;
    public long TotalQuantity;
    public int OrderCount;
    public OrderNode? Head;
    public OrderNode? Tail;

    public void Reset(Side side, long ticks, long key)
    {
        Side = side;
        Ticks = ticks;
        Key = key;
        TotalQuantity = 0;
        OrderCount = 0;
        Head = null;
        Tail = null;
    }

    /// <summary>Appends in sequence order. New orders normally carry the highest sequence, so this is O(1);
    /// the backward walk only runs when a caller loads out-of-order rows.</summary>
    public void Add(OrderNode node)
    {
        node.Level = this;
        OrderNode? after = Tail;
        while (after is not null && after.Sequence > node.Sequence)
        {
            after = after.Prev;
        }

        node.Prev = after;
        node.Next = after is null ? Head : after.Next;
        if (node.Next is null)
        {
            Tail = node;
        }
        else
        {
            node.Next.Prev = node;
        }

        if (after is null)
        {
            Head = node;
        }
        else
        {
            after.Next = node;
        }

        TotalQuantity += node.Remaining;
        OrderCount++;
    }

    public void Remove(OrderNode node)
    {
        if (node.Prev is null)
        {
            Head = node.Next;
        }
        else
        {
            node.Prev.Next = node.Next;
        }

        if (node.Next is null)
        {
            Tail = node.Prev;
        }
        else
        {
            node.Next.Prev = node.Prev;
        }

        TotalQuantity -= node.Remaining;
        OrderCount--;
        node.Prev = null;
        node.Next = null;
        node.Level = null;
    }
}
