namespace MarketMakers.Core.Matching;

/// <summary>The matching engine as pure functions of (book, input) returning (result, new book).</summary>
public static class MatchingEngine
{
    public static (MatchResult Result, BookState Book) Match(BookState book, IncomingOrder order)
    {
        ArgumentNullException.ThrowIfNull(book);
        OrderBook next = book.ToOrderBook();
        MatchResult result = next.Match(order);
        return (result, BookState.Wrap(next));
    }

    public static (bool Cancelled, RestingOrder Removed, BookState Book) Cancel(BookState book, Guid orderId)
    {
        ArgumentNullException.ThrowIfNull(book);
        OrderBook next = book.ToOrderBook();
        bool cancelled = next.TryCancel(orderId, out RestingOrder removed);
        return (cancelled, removed, cancelled ? BookState.Wrap(next) : book);
    }
}
