using System.Globalization;

namespace MarketMakers.Core.Matching;

/// <summary>
/// The mutable, single-threaded order book of one certificate type: the fast path. Deterministic:
/// the same sequence of calls always yields the same fills and book (no clock, no randomness, no I/O).
/// Not thread-safe; the order service serializes access per certificate type.
/// For a functional "(book, order) -> (fills, new book)" view, use <see cref="MatchingEngine"/> or <see cref="Clone"/>.
/// </summary>
public sealed partial class OrderBook
{
    private readonly BookSide _bids = new(Side.Buy);
    private readonly BookSide _asks = new(Side.Sell);
    private readonly Dictionary<Guid, OrderNode> _index = new();

    // Pools keep steady-state matching allocation-free apart from the returned fill array.
    private readonly Stack<OrderNode> _freeNodes = new();
    private readonly Stack<PriceLevel> _freeLevels = new();
    private readonly List<Fill> _fillBuffer = new();

    /// <summary>Number of resting orders on both sides.</summary>
    public int Count => _index.Count;

    public decimal? BestBid => _bids.Best is { } l ? PriceTicks.ToPrice(l.Ticks) : null;

    public decimal? BestAsk => _asks.Best is { } l ? PriceTicks.ToPrice(l.Ticks) : null;

    public bool Contains(Guid orderId) => _index.ContainsKey(orderId);

    public bool TryGetOrder(Guid orderId, out RestingOrder order)
    {
        if (_index.TryGetValue(orderId, out OrderNode? node))
        {
            order = node.ToResting(node.Level!.Side);
            return true;
        }

        order = default;
        return false;
    }

    /// <summary>
    /// Matches an incoming limit order against the opposite side with price-time priority, at the
    /// resting orders' prices. Any remainder rests on the book unless self-trade prevention cancelled it: the incoming
    /// order meets a resting order with its own trading key (its own holder, or a holder of the same owner group).
    /// </summary>
    public MatchResult Match(in IncomingOrder order)
    {
        if (order.Quantity <= 0)
        {
            throw new ArgumentException($"Quantity must be positive, was {order.Quantity}.", nameof(order));
        }

        long limit = PriceTicks.ToTicks(order.Price);
        if (order.Side is not (Side.Buy or Side.Sell))
        {
            throw new ArgumentException($"Unknown side {order.Side}.", nameof(order));
        }

        if (_index.ContainsKey(order.OrderId))
        {
            throw new ArgumentException($"Order {order.OrderId} is already on the book.", nameof(order));
        }

        bool isBuy = order.Side == Side.Buy;
        BookSide opposite = isBuy ? _asks : _bids;
        long remaining = order.Quantity;
        CancelReason reason = CancelReason.None;
        long selfTradeTicks = 0;
        Guid blockingHolder = Guid.Empty;
        Guid tradingKey = order.TradingKey;
        List<Fill> fills = _fillBuffer;
        fills.Clear();

        while (remaining > 0)
        {
            PriceLevel? level = opposite.Best;
            if (level is null || (isBuy ? level.Ticks > limit : level.Ticks < limit))
            {
                break;
            }

            OrderNode maker = level.Head!;
            if (maker.TradingKey == tradingKey)
            {
                // Self-trade (same holder) or wash-trade (same owner group) prevention, "cancel newest": keep fills
                // already made, drop the taker's remainder.
                reason = maker.HolderId == order.HolderId ? CancelReason.SelfTradePrevention : CancelReason.WashTradePrevention;
                selfTradeTicks = level.Ticks;
                blockingHolder = maker.HolderId;
                break;
            }

            long qty = Math.Min(remaining, maker.Remaining);
            fills.Add(new Fill(maker.OrderId, order.OrderId, maker.HolderId, order.HolderId, order.Side,
                PriceTicks.ToPrice(level.Ticks), qty));
            remaining -= qty;
            maker.Remaining -= qty;
            level.TotalQuantity -= qty;

            if (maker.Remaining == 0)
            {
                RemoveNode(opposite, maker);
            }
        }

        long filled = order.Quantity - remaining;
        Fill[] fillArray = fills.Count == 0 ? [] : fills.ToArray();

        if (reason != CancelReason.None)
        {
            decimal at = PriceTicks.ToPrice(selfTradeTicks);
            return new MatchResult(order.OrderId, fillArray, filled, 0, remaining, reason, CancelMessages.Prevented(reason, at))
            {
                BlockingHolderId = blockingHolder,
                BlockingPrice = at,
            };
        }

        if (remaining > 0)
        {
            AddNode(isBuy ? _bids : _asks, order.OrderId, order.HolderId, tradingKey, limit, remaining, order.Sequence);
        }

        return new MatchResult(order.OrderId, fillArray, filled, remaining, 0, CancelReason.None, null);
    }

    /// <summary>Removes a resting order. Returns false if it is not on the book (already filled or cancelled).</summary>
    public bool TryCancel(Guid orderId, out RestingOrder removed)
    {
        if (!_index.TryGetValue(orderId, out OrderNode? node))
        {
            removed = default;
            return false;
        }

        BookSide side = node.Level!.Side == Side.Buy ? _bids : _asks;
        removed = node.ToResting(side.Side);
        RemoveNode(side, node);
        return true;
    }

    public bool Cancel(Guid orderId) => TryCancel(orderId, out _);

    /// <summary>
    /// Adds orders without matching them, e.g. to rebuild the book from the open orders in the database.
    /// Rows may come in any order: time priority follows Sequence. Throws if the result would be crossed,
    /// because a crossed set of open orders means the persisted state is corrupt.
    /// </summary>
    public void Load(IEnumerable<RestingOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        foreach (RestingOrder o in orders)
        {
            if (o.RemainingQuantity <= 0)
            {
                throw new ArgumentException($"Order {o.OrderId} has non-positive remaining quantity.", nameof(orders));
            }

            if (o.Side is not (Side.Buy or Side.Sell))
            {
                throw new ArgumentException($"Order {o.OrderId} has unknown side {o.Side}.", nameof(orders));
            }

            if (_index.ContainsKey(o.OrderId))
            {
                throw new ArgumentException($"Order {o.OrderId} is loaded twice.", nameof(orders));
            }

            AddNode(o.Side == Side.Buy ? _bids : _asks, o.OrderId, o.HolderId, o.TradingKey, PriceTicks.ToTicks(o.Price),
                o.RemainingQuantity, o.Sequence);
        }

        if (_bids.Best is { } bid && _asks.Best is { } ask && bid.Ticks >= ask.Ticks)
        {
            throw new InvalidOperationException(
                $"Loaded book is crossed: best bid {PriceTicks.ToPrice(bid.Ticks)} >= best ask {PriceTicks.ToPrice(ask.Ticks)}.");
        }
    }

    /// <summary>Removes every order.</summary>
    public void Clear()
    {
        _index.Clear();
        _bids.Clear();
        _asks.Clear();
    }

    private void AddNode(BookSide side, Guid orderId, Guid holderId, Guid tradingKey, long ticks, long quantity, long sequence)
    {
        PriceLevel? level = side.TryGet(ticks);
        if (level is null)
        {
            level = _freeLevels.Count > 0 ? _freeLevels.Pop() : new PriceLevel();
            level.Reset(side.Side, ticks, side.KeyOf(ticks));
            side.Insert(level);
        }

        OrderNode node = _freeNodes.Count > 0 ? _freeNodes.Pop() : new OrderNode();
        node.OrderId = orderId;
        node.HolderId = holderId;
        node.TradingKey = tradingKey;
        node.Sequence = sequence;
        node.Remaining = quantity;
        level.Add(node);
        _index.Add(orderId, node);
    }

    private void RemoveNode(BookSide side, OrderNode node)
    {
        PriceLevel level = node.Level!;
        level.Remove(node);
        _index.Remove(node.OrderId);
        _freeNodes.Push(node);
        if (level.OrderCount == 0)
        {
            side.Remove(level);
            _freeLevels.Push(level);
        }
    }
}
