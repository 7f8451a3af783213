using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Matching;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>Read side of the cash market: books, order and trade listings. Reads are not actions (no ticket).</summary>
public sealed class OrderQueries(NpgsqlDataSource dataSource, IDbContextFactory<MarketMakersDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultDepth = 50;

    // Aggregated over open orders only; served by the partial index on (certificate_type, side, price, sequence).
    private const string BookSql = """
        SELECT side, price, sum(quantity - filled_quantity)::bigint, count(*)::int
        FROM orders
        WHERE certificate_type = @ct AND status IN ('OPEN', 'PARTIALLY_FILLED')
        GROUP BY side, price
        """;

    private const string TapeSql = """
        SELECT (SELECT price FROM cash_market_trades WHERE certificate_type = @ct ORDER BY executed_at DESC, sequence DESC LIMIT 1),
               COALESCE((SELECT sum(quantity) FROM cash_market_trades WHERE certificate_type = @ct AND executed_at > @since), 0)::bigint,
               (SELECT state FROM markets WHERE certificate_type = @ct),
               (SELECT reason FROM markets WHERE certificate_type = @ct AND state = 'HALTED')
        """;

    /// <summary>Book: levels best first with order_count and cumulative_quantity, plus top-of-book figures.</summary>
    public async Task<OrderBookView> GetBookAsync(CertificateType certificateType, int depth = DefaultDepth, CancellationToken cancellationToken = default)
    {
        var ct = certificateType.Value;
        var now = clock.GetUtcNow();
        var bids = new List<(decimal Price, long Qty, int Count)>();
        var asks = new List<(decimal Price, long Qty, int Count)>();
        decimal? last = null;
        long volume;
        string state;
        string? haltReason;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot, so the book and the tape agree.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var cmd = new NpgsqlCommand(BookSql, conn, tx))
        {
            cmd.Parameters.AddWithValue("ct", ct);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var level = (r.GetDecimal(1), r.GetInt64(2), r.GetInt32(3));
                (r.GetString(0) == OrderSide.Buy.Value ? bids : asks).Add(level);
            }
        }

        await using (var cmd = new NpgsqlCommand(TapeSql, conn, tx))
        {
            cmd.Parameters.AddWithValue("ct", ct);
            cmd.Parameters.AddWithValue("since", now.AddHours(-24));
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            await r.ReadAsync(cancellationToken);
            last = r.IsDBNull(0) ? null : r.GetDecimal(0);
            volume = r.GetInt64(1);
            state = r.IsDBNull(2) ? Risk.MarketStates.Open : r.GetString(2);
            haltReason = r.IsDBNull(3) ? null : r.GetString(3);
        }

        await tx.CommitAsync(cancellationToken);
        var bidLevels = Levels(bids.OrderByDescending(l => l.Price), depth);
        var askLevels = Levels(asks.OrderBy(l => l.Price), depth);
        decimal? bestBid = bidLevels.Count > 0 ? bidLevels[0].Price : null;
        decimal? bestAsk = askLevels.Count > 0 ? askLevels[0].Price : null;
        decimal? spread = bestBid is { } b && bestAsk is { } a ? a - b : null;
        decimal? mid = bestBid is { } b2 && bestAsk is { } a2 ? decimal.Round((a2 + b2) / 2m, 3) : null;
        return new OrderBookView(ct, bidLevels, askLevels, bestBid, bestAsk, spread, mid, last, volume, now, state, haltReason);
    }

    private static List<DepthLevel> Levels(IEnumerable<(decimal Price, long Qty, int Count)> levels, int depth)
    {
        var result = new List<DepthLevel>();
        long cumulative = 0;
        foreach (var (price, qty, count) in levels.Take(Math.Clamp(depth, 1, 1000)))
        {
            cumulative += qty;
            result.Add(new DepthLevel(price, qty, count, cumulative));
        }

        return result;
    }

    /// <summary>Orders newest first, optionally of one Market Maker (or all MM orders) and one status.</summary>
    public async Task<Page<OrderView>> ListOrdersAsync(
        Guid? marketMakerId, OrderStatus? status, PageRequest page, bool marketMakerOrdersOnly = true, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Orders.AsNoTracking();
        if (marketMakerId is { } mm)
        {
            query = query.Where(o => o.MarketMakerId == mm);
        }
        else if (marketMakerOrdersOnly)
        {
            query = query.Where(o => o.MarketMakerId != null);
        }

        if (status is not null)
        {
            query = query.Where(o => o.Status == status);
        }

        return await PageAsync(query, page, cancellationToken);
    }

    /// <summary>A holder's orders, newest first.</summary>
    public async Task<Page<OrderView>> ListHolderOrdersAsync(Guid holderId, OrderStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Orders.AsNoTracking().Where(o => o.HolderId == holderId);
        if (status is not null)
        {
            query = query.Where(o => o.Status == status);
        }

        return await PageAsync(query, page, cancellationToken);
    }

    public async Task<OrderView?> GetOrderAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        return order is null ? null : OrderView.From(order);
    }

    /// <summary>Trades newest first: of one certificate type and/or where <paramref name="holderId"/> bought or sold.</summary>
    public async Task<Page<TradeView>> ListTradesAsync(
        CertificateType? certificateType, Guid? holderId, PageRequest page, Guid? marketMakerId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.CashMarketTrades.AsNoTracking();
        if (certificateType is not null)
        {
            query = query.Where(t => t.CertificateType == certificateType);
        }

        if (holderId is { } h)
        {
            query = query.Where(t => t.BuyerHolderId == h || t.SellerHolderId == h);
        }

        if (marketMakerId is { } mm)
        {
            query = query.Where(t => t.MarketMakerId == mm);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(t => t.ExecutedAt).ThenByDescending(t => t.Sequence)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(cancellationToken);
        return new Page<TradeView>(total, items.Select(TradeView.From).ToList());
    }

    private static async Task<Page<OrderView>> PageAsync(IQueryable<Order> query, PageRequest page, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Sequence)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(cancellationToken);
        return new Page<OrderView>(total, items.Select(OrderView.From).ToList());
    }
}

/// <summary>Reconciliation's expected locked figures: what the open orders still hold, per holder and asset.</summary>
public sealed class OpenOrderLocks : IExpectedLockedSource
{
    private const string Sql = """
        SELECT holder_id,
               CASE WHEN side = 'BUY' THEN 'EUR' ELSE certificate_type END,
               sum(CASE WHEN side = 'BUY' THEN (quantity - filled_quantity) * price ELSE quantity - filled_quantity END)
        FROM orders
        WHERE status IN ('OPEN', 'PARTIALLY_FILLED')
        GROUP BY 1, 2
        """;

    public async Task<IReadOnlyDictionary<(Guid HolderId, Asset Asset), decimal>> ExpectedLockedAsync(
        MarketMakersDbContext db, CancellationToken cancellationToken)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var tx = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        await using var cmd = new NpgsqlCommand(Sql, conn, tx);
        var result = new Dictionary<(Guid, Asset), decimal>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result[(r.GetGuid(0), Asset.FromStored(r.GetString(1)))] = r.GetDecimal(2);
        }

        return result;
    }
}

/// <summary>Orders and trades per Market Maker, for the Market Makers list.</summary>
public sealed class OrderMarketActivity(NpgsqlDataSource dataSource) : IMarketMakerActivity
{
    private const string Sql = """
        SELECT m.id,
               (SELECT count(*) FROM orders o WHERE o.market_maker_id = m.id)::int,
               (SELECT count(*) FROM cash_market_trades t WHERE t.market_maker_id = m.id)::int
        FROM unnest(@ids) AS m(id)
        """;

    public async Task<IReadOnlyDictionary<Guid, MarketActivity>> CountAsync(IReadOnlyCollection<Guid> marketMakerIds, CancellationToken cancellationToken)
    {
        var ids = marketMakerIds.Distinct().ToArray();
        var result = ids.ToDictionary(id => id, _ => new MarketActivity(0, 0));
        if (ids.Length == 0)
        {
            return result;
        }

        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result[r.GetGuid(0)] = new MarketActivity(r.GetInt32(1), r.GetInt32(2));
        }

        return result;
    }
}
