using MarketMakers.Core.Matching;

namespace MarketMakers.Tests.Matching;

public class MatchingEngineTests
{
    [Fact]
    public void Match_is_a_pure_function_of_book_and_order()
    {
        Guid mm = Guid.NewGuid(), buyer = Guid.NewGuid();
        var sell = new RestingOrder(Guid.NewGuid(), mm, Side.Sell, 70m, 300, 1);
        BookState before = BookState.From([sell]);
        var buy = new IncomingOrder(Guid.NewGuid(), buyer, Side.Buy, 71m, 200, 2);

        (MatchResult r1, BookState after1) = MatchingEngine.Match(before, buy);
        (MatchResult r2, BookState after2) = MatchingEngine.Match(before, buy);

        Assert.Equal(r1.Fills, r2.Fills);
        Assert.Equal(after1.Asks, after2.Asks);
        Assert.Equal([sell], before.Asks);
        Assert.Equal([sell with { RemainingQuantity = 100 }], after1.Asks);
        Assert.Equal(new Fill(sell.OrderId, buy.OrderId, mm, buyer, Side.Buy, 70m, 200), Assert.Single(r1.Fills));
    }

    [Fact]
    public void Cancel_returns_new_state_and_keeps_old()
    {
        var order = new RestingOrder(Guid.NewGuid(), Guid.NewGuid(), Side.Buy, 69m, 10, 1);
        BookState before = BookState.From([order]);

        (bool ok, RestingOrder removed, BookState after) = MatchingEngine.Cancel(before, order.OrderId);

        Assert.True(ok);
        Assert.Equal(order, removed);
        Assert.Equal(0, after.Count);
        Assert.Equal(1, before.Count);
        Assert.False(MatchingEngine.Cancel(after, order.OrderId).Cancelled);
    }
}
