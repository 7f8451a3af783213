using MarketMakers.Core.Matching;

namespace MarketMakers.Tests.Matching;

public partial class OrderBookTests
{
    private static readonly Guid Mm = Guid.Parse("00000000-0000-0000-0000-0000000000aa");
    private static readonly Guid Buyer = Guid.Parse("00000000-0000-0000-0000-0000000000bb");
    private static readonly Guid Other = Guid.Parse("00000000-0000-0000-0000-0000000000cc");

    private long _seq;

    private IncomingOrder Order(Guid holder, Side side, decimal price, long qty, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), holder, side, price, qty, ++_seq);

    [Fact]
    public void Non_crossing_order_rests()
    {
        var book = new OrderBook();
        book.Match(Order(Mm, Side.Sell, 70m, 300));
        MatchResult r = book.Match(Order(Buyer, Side.Buy, 69.99m, 100));

        Assert.Empty(r.Fills);
        Assert.Equal(100, r.RestingQuantity);
        Assert.Equal(0, r.CancelledQuantity);
        Assert.Equal(69.99m, book.BestBid);
        Assert.Equal(70.00m, book.BestAsk);
        Assert.Equal(2, book.Count);
    }

    [Fact]
    public void Worked_example_fills_at_resting_price_and_sell_rests_remainder()
    {
        var book = new OrderBook();
        IncomingOrder sell = Order(Mm, Side.Sell, 70.00m, 300);
        book.Match(sell);
        IncomingOrder buy = Order(Buyer, Side.Buy, 71.00m, 200);

        MatchResult r = book.Match(buy);

        Fill f = Assert.Single(r.Fills);
        Assert.Equal(new Fill(sell.OrderId, buy.OrderId, Mm, Buyer, Side.Buy, 70.00m, 200), f);
        Assert.Equal("70.00", f.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(buy.OrderId, f.BuyOrderId);
        Assert.Equal(sell.OrderId, f.SellOrderId);
        Assert.Equal(0, r.RestingQuantity);
        Assert.True(book.TryGetOrder(sell.OrderId, out RestingOrder rest));
        Assert.Equal(100, rest.RemainingQuantity);
        Assert.False(book.Contains(buy.OrderId));
        Assert.Null(book.BestBid);
    }

    [Fact]
    public void Price_priority_takes_best_level_first()
    {
        var book = new OrderBook();
        IncomingOrder at71 = Order(Mm, Side.Sell, 71m, 10);
        IncomingOrder at70 = Order(Other, Side.Sell, 70m, 10);
        book.Match(at71);
        book.Match(at70);

        MatchResult r = book.Match(Order(Buyer, Side.Buy, 72m, 10));

        Fill f = Assert.Single(r.Fills);
        Assert.Equal(at70.OrderId, f.MakerOrderId);
        Assert.Equal(70m, f.Price);
        Assert.True(book.Contains(at71.OrderId));
    }

    [Fact]
    public void Time_priority_within_a_level()
    {
        var book = new OrderBook();
        IncomingOrder first = Order(Mm, Side.Sell, 70m, 10);
        IncomingOrder second = Order(Other, Side.Sell, 70m, 10);
        book.Match(first);
        book.Match(second);

        MatchResult r = book.Match(Order(Buyer, Side.Buy, 70m, 15));

        Assert.Equal(
            [new Fill(first.OrderId, r.OrderId, Mm, Buyer, Side.Buy, 70m, 10), new Fill(second.OrderId, r.OrderId, Other, Buyer, Side.Buy, 70m, 5)],
            r.Fills);
        Assert.True(book.TryGetOrder(second.OrderId, out RestingOrder left));
        Assert.Equal(5, left.RemainingQuantity);
    }

    [Fact]
    public void Partial_fills_across_levels_then_rest_at_limit()
    {
        var book = new OrderBook();
        IncomingOrder a = Order(Mm, Side.Sell, 70.00m, 100);
        IncomingOrder b = Order(Other, Side.Sell, 70.05m, 50);
        IncomingOrder c = Order(Mm, Side.Sell, 70.10m, 80);
        IncomingOrder d = Order(Other, Side.Sell, 70.20m, 40);
        foreach (IncomingOrder o in new[] { a, b, c, d })
        {
            book.Match(o);
        }

        IncomingOrder buy = Order(Buyer, Side.Buy, 70.10m, 300);
        MatchResult r = book.Match(buy);

        Assert.Equal(
            [
                new Fill(a.OrderId, buy.OrderId, Mm, Buyer, Side.Buy, 70.00m, 100),
                new Fill(b.OrderId, buy.OrderId, Other, Buyer, Side.Buy, 70.05m, 50),
                new Fill(c.OrderId, buy.OrderId, Mm, Buyer, Side.Buy, 70.10m, 80),
            ],
            r.Fills);
        Assert.Equal(230, r.FilledQuantity);
        Assert.Equal(70, r.RestingQuantity);
        Assert.Equal(70.10m, book.BestBid);
        Assert.Equal(70.20m, book.BestAsk);
    }

    [Fact]
    public void Incoming_sell_hits_bids_highest_first_at_bid_prices()
    {
        var book = new OrderBook();
        IncomingOrder b1 = Order(Buyer, Side.Buy, 69.00m, 10);
        IncomingOrder b2 = Order(Other, Side.Buy, 69.50m, 10);
        IncomingOrder b3 = Order(Buyer, Side.Buy, 68.00m, 10);
        book.Match(b1);
        book.Match(b2);
        book.Match(b3);

        IncomingOrder sell = Order(Mm, Side.Sell, 68.50m, 25);
        MatchResult r = book.Match(sell);

        Assert.Equal(
            [
                new Fill(b2.OrderId, sell.OrderId, Other, Mm, Side.Sell, 69.50m, 10),
                new Fill(b1.OrderId, sell.OrderId, Buyer, Mm, Side.Sell, 69.00m, 10),
            ],
            r.Fills);
        Assert.Equal(5, r.RestingQuantity);
        Assert.Equal(68.50m, book.BestAsk);
        Assert.Equal(68.00m, book.BestBid);
        Assert.Equal(b1.OrderId, r.Fills[1].BuyOrderId);
        Assert.Equal(Mm, r.Fills[1].SellerHolderId);
    }

    [Fact]
    public void Self_trade_prevention_keeps_earlier_fills_and_cancels_remainder()
    {
        var book = new OrderBook();
        IncomingOrder other = Order(Other, Side.Sell, 69.00m, 50);
        IncomingOrder own = Order(Buyer, Side.Sell, 70.00m, 100);
        IncomingOrder behind = Order(Other, Side.Sell, 70.00m, 100);
        book.Match(other);
        book.Match(own);
        book.Match(behind);

        IncomingOrder buy = Order(Buyer, Side.Buy, 71m, 200);
        MatchResult r = book.Match(buy);

        Fill f = Assert.Single(r.Fills);
        Assert.Equal(new Fill(other.OrderId, buy.OrderId, Other, Buyer, Side.Buy, 69.00m, 50), f);
        Assert.True(r.WasCancelled);
        Assert.Equal(CancelReason.SelfTradePrevention, r.CancelReason);
        Assert.Equal("Remainder cancelled: it would have traded against your own resting order at 70.00", r.CancelMessage);
        Assert.Equal(50, r.FilledQuantity);
        Assert.Equal(0, r.RestingQuantity);
        Assert.Equal(150, r.CancelledQuantity);
        Assert.False(book.Contains(buy.OrderId));
        Assert.True(book.TryGetOrder(own.OrderId, out RestingOrder ownLeft));
        Assert.Equal(100, ownLeft.RemainingQuantity);
        Assert.Null(book.BestBid);
    }

    [Fact]
    public void Own_order_behind_the_limit_does_not_trigger_self_trade_prevention()
    {
        var book = new OrderBook();
        book.Match(Order(Buyer, Side.Sell, 75m, 10));

        MatchResult r = book.Match(Order(Buyer, Side.Buy, 70m, 10));

        Assert.False(r.WasCancelled);
        Assert.Equal(10, r.RestingQuantity);
    }
}
