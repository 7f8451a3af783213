using MarketMakers.Core.Matching;

namespace MarketMakers.Tests.Matching;

/// <summary>Wash-trade prevention (SPEC §4b): the engine's "same owner" key is the trading group, not only the holder.</summary>
public class OwnerGroupMatchingTests
{
    private static readonly Guid? Acme = TradingGroup.Key("Acme");

    [Fact]
    public void An_order_never_fills_against_a_holder_of_its_own_group_and_keeps_earlier_fills()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), outsider = Guid.NewGuid();
        var outsiderAsk = new RestingOrder(Guid.NewGuid(), outsider, Side.Sell, 49m, 4, 1);
        var sibling = new RestingOrder(Guid.NewGuid(), a, Side.Sell, 50m, 10, 2, Acme);
        var beyond = new RestingOrder(Guid.NewGuid(), outsider, Side.Sell, 51m, 10, 3);
        var book = BookState.From([outsiderAsk, sibling, beyond]);

        var (result, after) = MatchingEngine.Match(book, new IncomingOrder(Guid.NewGuid(), b, Side.Buy, 52m, 20, 4, Acme));

        Assert.Equal(outsiderAsk.OrderId, Assert.Single(result.Fills).MakerOrderId);
        Assert.Equal((4L, 0L, 16L), (result.FilledQuantity, result.RestingQuantity, result.CancelledQuantity));
        Assert.Equal(CancelReason.WashTradePrevention, result.CancelReason);
        Assert.Equal(a, result.BlockingHolderId);
        Assert.Equal("Remainder cancelled: it would have traded with a Market Maker of the same owner group at 50.00 (wash-trade prevention)", result.CancelMessage);
        Assert.Equal([sibling, beyond], after.Asks);
        Assert.Empty(after.Bids);
    }

    [Fact]
    public void Group_keys_ignore_case_and_spaces_and_no_group_trades_alone()
    {
        Assert.Equal(Acme, TradingGroup.Key("  ACME "));
        Assert.NotEqual(Acme, TradingGroup.Key("Acme 2"));
        Assert.Null(TradingGroup.Key("   "));

        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var book = BookState.From([new RestingOrder(Guid.NewGuid(), a, Side.Buy, 50m, 10, 1, Acme)]);
        var (other, _) = MatchingEngine.Match(book, new IncomingOrder(Guid.NewGuid(), b, Side.Sell, 50m, 10, 2, TradingGroup.Key("Other")));
        var (none, _) = MatchingEngine.Match(book, new IncomingOrder(Guid.NewGuid(), b, Side.Sell, 50m, 10, 2));
        Assert.Equal(10L, other.FilledQuantity);
        Assert.Equal(10L, none.FilledQuantity);

        // The same holder inside a group is still self-trade prevention, with its own message.
        var (self, _) = MatchingEngine.Match(book, new IncomingOrder(Guid.NewGuid(), a, Side.Sell, 50m, 10, 2, Acme));
        Assert.Equal(CancelReason.SelfTradePrevention, self.CancelReason);
        Assert.Contains("your own resting order", self.CancelMessage);
    }

    [Fact]
    public void A_cloned_book_keeps_the_group_of_its_resting_orders()
    {
        var resting = new RestingOrder(Guid.NewGuid(), Guid.NewGuid(), Side.Sell, 50m, 10, 1, Acme);
        var book = BookState.From([resting]);
        Assert.Equal([resting], book.Asks);
        var (result, _) = MatchingEngine.Match(book, new IncomingOrder(Guid.NewGuid(), Guid.NewGuid(), Side.Buy, 50m, 1, 2, Acme));
        Assert.Equal(CancelReason.WashTradePrevention, result.CancelReason);
    }
}
