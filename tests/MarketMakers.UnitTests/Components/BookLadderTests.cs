using Bunit;
using MarketMakers.Core.Matching;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Tests.Components;

/// <summary>
/// The book ladder as a trader reads it, rendered without a database: a component that only displays its
/// parameters is tested in the fast suite.
/// </summary>
public sealed class BookLadderTests : BunitContext
{
    private static OrderBookView Book(DepthLevel[] bids, DepthLevel[] asks) => new(
        "EUA", bids, asks, bids.Length > 0 ? bids[0].Price : null, asks.Length > 0 ? asks[0].Price : null,
        bids.Length > 0 && asks.Length > 0 ? asks[0].Price - bids[0].Price : null,
        bids.Length > 0 && asks.Length > 0 ? (asks[0].Price + bids[0].Price) / 2 : null,
        80.10m, 0, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Asks_are_listed_best_last_above_the_spread_and_bids_best_first_below_it()
    {
        var book = Book(
            bids: [new DepthLevel(79.90m, 100, 1, 100), new DepthLevel(79.50m, 50, 2, 150)],
            asks: [new DepthLevel(80.20m, 30, 1, 30), new DepthLevel(81.00m, 70, 1, 100)]);

        var ladder = Render<BookLadder>(p => p.Add(c => c.Book, book));

        var asks = ladder.FindAll("[data-testid=book-ask]").Select(r => r.GetAttribute("data-price")).ToList();
        var bids = ladder.FindAll("[data-testid=book-bid]").Select(r => r.GetAttribute("data-price")).ToList();
        Assert.Equal(["81.00", "80.20"], asks);
        Assert.Equal(["79.90", "79.50"], bids);
        Assert.Equal("0.30", ladder.Find("[data-testid=book-spread-inline]").TextContent);
        Assert.Contains("Last 80.10", ladder.Find(".mm-book-mid").TextContent.Replace("\n", " ").Trim());
    }

    [Fact]
    public void An_empty_side_says_so_instead_of_showing_nothing()
    {
        var ladder = Render<BookLadder>(p => p.Add(c => c.Book, Book([], [new DepthLevel(80.20m, 30, 1, 30)])));

        Assert.Equal("No bids", ladder.Find("[data-testid=book-bids] .mm-book-empty").TextContent);
        Assert.Empty(ladder.FindAll("[data-testid=book-asks] .mm-book-empty"));
        Assert.Equal("—", ladder.Find("[data-testid=book-spread-inline]").TextContent);
    }

    [Fact]
    public void Depth_limits_the_levels_shown_per_side()
    {
        var bids = Enumerable.Range(0, 5).Select(i => new DepthLevel(79m - i, 10, 1, 10 * (i + 1))).ToArray();

        var ladder = Render<BookLadder>(p => p.Add(c => c.Book, Book(bids, [])).Add(c => c.Depth, 3));

        Assert.Equal(3, ladder.FindAll("[data-testid=book-bid]").Count);
    }
}
