using MarketMakers.Core.Matching;

namespace MarketMakers.Tests.Matching;

/// <summary>The book as state: cancels, depth, loading from rows, input checks and copies.</summary>
public partial class OrderBookTests
{
    [Fact]
    public void Cancel_removes_order_and_updates_aggregated_levels()
    {
        var book = new OrderBook();
        IncomingOrder a = Order(Mm, Side.Sell, 70m, 100);
        IncomingOrder b = Order(Other, Side.Sell, 70m, 50);
        IncomingOrder c = Order(Mm, Side.Sell, 71m, 30);
        IncomingOrder bid = Order(Buyer, Side.Buy, 69m, 20);
        foreach (IncomingOrder o in new[] { a, b, c, bid })
        {
            book.Match(o);
        }

        BookSnapshot before = book.Snapshot();
        Assert.Equal([new DepthLevel(70m, 150, 2, 150), new DepthLevel(71m, 30, 1, 180)], before.Asks);
        Assert.Equal([new DepthLevel(69m, 20, 1, 20)], before.Bids);
        Assert.Equal(1m, before.Spread);
        Assert.Equal(69.5m, before.MidPrice);

        Assert.True(book.TryCancel(a.OrderId, out RestingOrder removed));
        Assert.Equal(new RestingOrder(a.OrderId, Mm, Side.Sell, 70m, 100, a.Sequence), removed);
        Assert.False(book.Cancel(a.OrderId));
        Assert.Equal([new DepthLevel(70m, 50, 1, 50), new DepthLevel(71m, 30, 1, 80)], book.Snapshot().Asks);

        Assert.True(book.Cancel(b.OrderId));
        BookSnapshot after = book.Snapshot();
        Assert.Equal([new DepthLevel(71m, 30, 1, 30)], after.Asks);
        Assert.Equal(71m, after.BestAsk);
        Assert.Equal(2, book.Count);
        Assert.False(book.Cancel(Guid.NewGuid()));
    }

    [Fact]
    public void Snapshot_depth_limits_levels()
    {
        var book = new OrderBook();
        for (int i = 0; i < 5; i++)
        {
            book.Match(Order(Mm, Side.Sell, 70m + i, 10));
        }

        BookSnapshot s = book.Snapshot(depth: 2);
        Assert.Equal([new DepthLevel(70m, 10, 1, 10), new DepthLevel(71m, 10, 1, 20)], s.Asks);
        Assert.Empty(s.Bids);
        Assert.Null(s.Spread);
    }

    [Fact]
    public void Load_rebuilds_time_priority_from_sequence_regardless_of_row_order()
    {
        var late = new RestingOrder(Guid.NewGuid(), Mm, Side.Sell, 70m, 10, Sequence: 9);
        var early = new RestingOrder(Guid.NewGuid(), Other, Side.Sell, 70m, 10, Sequence: 3);
        var bid = new RestingOrder(Guid.NewGuid(), Other, Side.Buy, 65m, 10, Sequence: 5);
        var book = new OrderBook();
        book.Load([late, bid, early]);

        Assert.Equal([early, late], book.Orders(Side.Sell));
        Assert.Equal([bid], book.Orders(Side.Buy));
        MatchResult r = book.Match(new IncomingOrder(Guid.NewGuid(), Buyer, Side.Buy, 70m, 10, 10));
        Assert.Equal(early.OrderId, Assert.Single(r.Fills).MakerOrderId);
    }

    [Fact]
    public void Load_rejects_crossed_or_duplicate_rows()
    {
        var ask = new RestingOrder(Guid.NewGuid(), Mm, Side.Sell, 70m, 10, 1);
        var crossingBid = new RestingOrder(Guid.NewGuid(), Other, Side.Buy, 70m, 10, 2);
        Assert.Throws<InvalidOperationException>(() => new OrderBook().Load([ask, crossingBid]));
        Assert.Throws<ArgumentException>(() => new OrderBook().Load([ask, ask]));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-1, 10)]
    [InlineData(70, 0)]
    [InlineData(70, -5)]
    public void Rejects_non_positive_price_or_quantity(int price, long qty)
    {
        var book = new OrderBook();
        Assert.Throws<ArgumentException>(() => book.Match(Order(Buyer, Side.Buy, price, qty)));
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void Rejects_off_tick_price_and_duplicate_id()
    {
        var book = new OrderBook();
        Assert.Throws<ArgumentException>(() => book.Match(Order(Buyer, Side.Buy, 70.001m, 1)));
        IncomingOrder o = Order(Buyer, Side.Buy, 70m, 1);
        book.Match(o);
        Assert.Throws<ArgumentException>(() => book.Match(o with { Sequence = 99 }));
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void Clone_is_independent_and_equal()
    {
        var book = new OrderBook();
        book.Match(Order(Mm, Side.Sell, 70m, 10));
        book.Match(Order(Other, Side.Sell, 70m, 5));
        book.Match(Order(Buyer, Side.Buy, 69m, 7));

        OrderBook copy = book.Clone();
        Assert.Equal(book.Orders(Side.Sell), copy.Orders(Side.Sell));
        Assert.Equal(book.Orders(Side.Buy), copy.Orders(Side.Buy));

        copy.Match(Order(Buyer, Side.Buy, 70m, 15));
        Assert.Equal(3, book.Count);
        Assert.Equal(1, copy.Count);
    }
}
