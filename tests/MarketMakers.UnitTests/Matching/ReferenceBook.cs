using MarketMakers.Core.Matching;

namespace MarketMakers.Tests.Matching;

/// <summary>
/// A deliberately naive matcher (a list re-sorted on every step) written straight from SPEC §4,
/// used as an oracle for the optimised <see cref="OrderBook"/>.
/// </summary>
internal sealed class ReferenceBook
{
    private readonly List<RestingOrder> _orders = [];

    public IEnumerable<RestingOrder> Bids =>
        _orders.Where(o => o.Side == Side.Buy).OrderByDescending(o => o.Price).ThenBy(o => o.Sequence);

    public IEnumerable<RestingOrder> Asks =>
        _orders.Where(o => o.Side == Side.Sell).OrderBy(o => o.Price).ThenBy(o => o.Sequence);

    public (List<Fill> Fills, long Resting, long Cancelled) Match(IncomingOrder order)
    {
        var fills = new List<Fill>();
        long remaining = order.Quantity;
        while (remaining > 0)
        {
            RestingOrder? best = order.Side == Side.Buy
                ? Asks.Where(a => a.Price <= order.Price).Cast<RestingOrder?>().FirstOrDefault()
                : Bids.Where(b => b.Price >= order.Price).Cast<RestingOrder?>().FirstOrDefault();
            if (best is not { } maker)
            {
                break;
            }

            if (maker.HolderId == order.HolderId)
            {
                return (fills, 0, remaining);
            }

            long q = Math.Min(remaining, maker.RemainingQuantity);
            fills.Add(new Fill(maker.OrderId, order.OrderId, maker.HolderId, order.HolderId, order.Side, maker.Price, q));
            remaining -= q;
            int i = _orders.IndexOf(maker);
            if (maker.RemainingQuantity == q)
            {
                _orders.RemoveAt(i);
            }
            else
            {
                _orders[i] = maker with { RemainingQuantity = maker.RemainingQuantity - q };
            }
        }

        if (remaining > 0)
        {
            _orders.Add(new RestingOrder(order.OrderId, order.HolderId, order.Side, order.Price, remaining, order.Sequence));
        }

        return (fills, remaining, 0);
    }

    public bool Cancel(Guid id) => _orders.RemoveAll(o => o.OrderId == id) > 0;
}
