namespace MarketMakers.Core.Matching;

/// <summary>
/// An immutable order book value for the functional API. Each transition copies the underlying
/// <see cref="OrderBook"/> (O(n)), so this is for tests, replays and reasoning, not the hot path.
/// </summary>
public sealed class BookState
{
    private readonly OrderBook _book;

    private BookState(OrderBook book) => _book = book;

    public static BookState Empty { get; } = new(new OrderBook());

    public static BookState From(IEnumerable<RestingOrder> orders)
    {
        var book = new OrderBook();
        book.Load(orders);
        return new BookState(book);
    }

    public int Count => _book.Count;

    public decimal? BestBid => _book.BestBid;

    public decimal? BestAsk => _book.BestAsk;

    public IReadOnlyList<RestingOrder> Bids => _book.Orders(Side.Buy).ToArray();

    public IReadOnlyList<RestingOrder> Asks => _book.Orders(Side.Sell).ToArray();

    public BookSnapshot Snapshot(int depth = 10) => _book.Snapshot(depth);

    /// <summary>A mutable copy to continue on the fast path.</summary>
    public OrderBook ToOrderBook() => _book.Clone();

    internal static BookState Wrap(OrderBook ownedBook) => new(ownedBook);
}
