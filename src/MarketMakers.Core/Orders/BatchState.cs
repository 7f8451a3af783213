using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The in-memory state of one batch of placements for one certificate type, inside its transaction: the reachable
/// part of the book (read under the instrument lock) plus every order the batch has placed so far, and the locked
/// balance rows of everyone who can trade in it.
/// </summary>
internal sealed class BatchState(
    IEnumerable<Order> resting,
    Dictionary<(Guid HolderId, Asset Asset), Balance> balances,
    Dictionary<Guid, TradingParty>? parties = null)
{
    // The Market Makers among the holders (name and owner group, SPEC §4b); a holder not here trades alone.
    private readonly Dictionary<Guid, TradingParty> _parties = parties ?? [];

    // Above any stored sequence: an order of this batch arrived after everything already resting.
    private long _nextSequence = long.MaxValue / 2;

    private readonly Dictionary<(Guid HolderId, Asset Asset), BalanceView> _loaded = balances.ToDictionary(kv => kv.Key, kv => kv.Value.ToView());
    private readonly Dictionary<Guid, (long Filled, OrderStatus Status)> _resting = resting.ToDictionary(o => o.Id, o => (o.FilledQuantity, o.Status));

    public OrderBook Book { get; } = Load(resting, parties);

    public Dictionary<Guid, Order> Orders { get; } = resting.ToDictionary(o => o.Id);

    public IReadOnlyDictionary<(Guid HolderId, Asset Asset), Balance> Balances => balances;

    public List<Order> NewOrders { get; } = [];

    public List<CashMarketTrade> NewTrades { get; } = [];

    /// <summary>The last trade price so far (read with the market, then each fill's): the price collar's reference.</summary>
    public decimal? LastPrice { get; set; }

    public long NextSequence() => _nextSequence++;

    /// <summary>
    /// Makes a Market Maker's owner group known to the batch, for a caller that placed its orders without the batch's
    /// MM check. Resting orders take their groups when the book is loaded, so call this before placing.
    /// </summary>
    public void AddParty(Guid holderId, string name, string? ownerGroup) => _parties[holderId] = new TradingParty(name, ownerGroup);

    /// <summary>The holder's trading group for the engine: null when it trades alone.</summary>
    public Guid? GroupKey(Guid holderId) => _parties.GetValueOrDefault(holderId)?.GroupKey;

    /// <summary>The Market Maker's name, when the holder is one the batch knows.</summary>
    public string? PartyName(Guid holderId) => _parties.GetValueOrDefault(holderId)?.Name;

    public BalanceView View(Guid holderId, Asset asset) => balances.GetValueOrDefault((holderId, asset))?.ToView() ?? BalanceView.Zero;

    /// <summary>
    /// The batch locks only rows that exist, so that a refused order cannot leave even an empty row behind. A fill
    /// may credit an asset its receiver never held: that row is created and locked here, after the point where the
    /// order can still be refused.
    /// </summary>
    public async Task EnsureAsync(ActionScope scope, params (Guid HolderId, Asset Asset)[] keys)
    {
        var missing = keys.Where(k => !balances.ContainsKey(k)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var (key, row) in await LedgerService.LockAsync(scope, missing))
        {
            balances[key] = row;
            _loaded[key] = row.ToView();
        }
    }

    /// <summary>The balance rows this batch moved, for one UPDATE.</summary>
    public IReadOnlyList<Balance> ChangedBalances() =>
        balances.Where(kv => kv.Value.ToView() != _loaded[kv.Key]).Select(kv => kv.Value).ToList();

    /// <summary>The resting orders (read from the database) that this batch filled.</summary>
    public IReadOnlyList<Order> ChangedRestingOrders() =>
        _resting.Where(kv => Orders[kv.Key] is var o && (o.FilledQuantity, o.Status) != kv.Value).Select(kv => Orders[kv.Key]).ToList();

    private static OrderBook Load(IEnumerable<Order> resting, Dictionary<Guid, TradingParty>? parties)
    {
        var book = new OrderBook();
        book.Load(resting.OrderBy(c => c.Sequence).Select(c => new RestingOrder(
            c.Id, c.HolderId, c.Side.Engine, c.Price, c.RemainingQuantity, c.Sequence, parties?.GetValueOrDefault(c.HolderId)?.GroupKey)));
        return book;
    }
}

/// <summary>
/// An order failed after it had started changing the batch's shared state (book, balances), so the batch cannot go
/// on without it: the sequencer rolls the batch back and places its orders one by one.
/// </summary>
internal sealed class BatchPoisonedException(Exception inner) : Exception("An order failed mid-way; the batch is retried order by order.", inner);
