using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Matching;
using MarketMakers.Core.Risk;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>What a batch reads under the instrument lock, and the ids it reserved for what it will insert.</summary>
internal sealed record BatchRead(
    List<Order> Candidates,
    Dictionary<Guid, (Guid? EntityId, bool Funded)> Traders,
    Dictionary<(Guid HolderId, Asset Asset), Balance> Balances,
    ReservedIds Ids,
    MarketRules Market,
    Dictionary<Guid, TradingParty> Parties);

/// <summary>
/// For a caller that already began the transaction and holds the instrument lock (a quote ladder): the reach of the
/// book grows by the open quantity of the caller's own orders it will cancel first, which the depth would otherwise
/// count as liquidity ahead of the orders behind them.
/// </summary>
internal sealed record BatchContinuation(long ExtraAskDepth, long ExtraBidDepth);

/// <summary>
/// The first round trip of an order batch: BEGIN, the instrument's advisory lock, the market's state and limits,
/// the reachable book, the client traders' entities and roles, the locked balance rows of everyone who can trade in
/// the batch, and ids reserved for the rows the batch will insert — seven statements that PostgreSQL runs in order in one transaction, so everything
/// after the lock is read under it. A client order costs no round trip of its own before the batch.
/// See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal static class OrderBatchReader
{
    // The column list of both halves and of the reads below (ordinals follow it): the batch's one description of orders.
    private static readonly string Columns = BatchTables.Orders.SelectList();

    /// <summary>
    /// For the batch's BUYs ($2 highest limit, $3 their total quantity) the asks they can reach, only as deep as that
    /// quantity can fill (each resting order has at least 1 remaining, so never more rows than the quantity); the same
    /// for its SELLs ($4, $5). The depth also covers the first own order that self-trade prevention must see. Served by
    /// the partial open-book index. After the order's columns come its Market Maker's name and owner group (nulls for a
    /// client's order), for wash-trade prevention: a primary-key join on the few rows read, not a statement of its own.
    /// </summary>
    internal static readonly string CandidatesSql = $"""
        SELECT {Columns}, mm_name, mm_owner_group FROM (
            SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price, c.sequence) - (c.quantity - c.filled_quantity) AS ahead,
                   m.name AS mm_name, m.owner_group AS mm_owner_group
            FROM (SELECT * FROM orders
                  WHERE certificate_type = $1 AND side = 'SELL' AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price <= $2
                  ORDER BY price, sequence LIMIT $3) c
            LEFT JOIN market_maker_clients m ON m.id = c.market_maker_id
        ) asks WHERE asks.ahead < $3
        UNION ALL
        SELECT {Columns}, mm_name, mm_owner_group FROM (
            SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price DESC, c.sequence) - (c.quantity - c.filled_quantity) AS ahead,
                   m.name AS mm_name, m.owner_group AS mm_owner_group
            FROM (SELECT * FROM orders
                  WHERE certificate_type = $1 AND side = 'BUY' AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price >= $4
                  ORDER BY price DESC, sequence LIMIT $5) c
            LEFT JOIN market_maker_clients m ON m.id = c.market_maker_id
        ) bids WHERE bids.ahead < $5
        """;

    // The ordinal of mm_name: right after the order's own columns.
    private static readonly int PartyOrdinal = BatchTables.Orders.Names.Count();

    /// <summary>
    /// The balance rows (certificate and EUR) of the batch's known holders ($6), of its client traders' entities ($7
    /// user ids) and of every candidate's holder, locked in one deterministic order so that two batches or actions
    /// cannot deadlock. The candidates are the same rows as
    /// the statement before: the advisory lock keeps the book still in between. Rows that do not exist stay absent:
    /// a refused order must not leave even an empty row behind.
    /// </summary>
    internal static readonly string BalancesSql = $"""
        SELECT {BatchTables.Balances.SelectList("b")}
        FROM balances b
        WHERE b.asset IN ($1, 'EUR')
          AND b.holder_id IN (SELECT unnest($6::uuid[])
                              UNION SELECT entity_id FROM users WHERE id = ANY($7::uuid[])
                              UNION SELECT holder_id FROM ({CandidatesSql}) c)
        ORDER BY b.holder_id, b.asset COLLATE "C"
        FOR UPDATE OF b
        """;

    public static async Task<BatchRead> ReadAsync(
        NpgsqlConnection connection, CertificateType certificate, IReadOnlyList<OrderTerms> specs, IReadOnlyList<Guid> holders,
        IReadOnlyList<Guid> traders, int ordersToInsert, bool readMarket = true, BatchContinuation? continuation = null)
    {
        var traderIds = traders.Distinct().ToArray();
        var buys = specs.Where(s => s.Side == OrderSide.Buy).ToList();
        var sells = specs.Where(s => s.Side == OrderSide.Sell).ToList();
        object[] book =
        [
            certificate.Value,
            buys.Count > 0 ? buys.Max(s => s.Price.Value) : 0m,
            buys.Sum(s => s.Quantity.Value) + (continuation?.ExtraAskDepth ?? 0),
            sells.Count > 0 ? sells.Min(s => s.Price.Value) : Price.Max,
            sells.Sum(s => s.Quantity.Value) + (continuation?.ExtraBidDepth ?? 0),
        ];

        await using var batch = new NpgsqlBatch(connection);
        if (continuation is null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            batch.BatchCommands.Add(OrderBatchWriter.Command(InstrumentLock.Sql, certificate.LockKey));
        }

        if (readMarket)
        {
            // Under the lock a halt or limits change also takes: this batch committed before it, or sees it.
            batch.BatchCommands.Add(OrderBatchWriter.Command(MarketRules.Sql, certificate.Value));
        }

        batch.BatchCommands.Add(OrderBatchWriter.Command(CandidatesSql, book));
        batch.BatchCommands.Add(OrderBatchWriter.Command(TraderLookup.Sql, traderIds, TraderLookup.FundedRole));
        batch.BatchCommands.Add(OrderBatchWriter.Command(BalancesSql, [.. book, holders.Distinct().ToArray(), traderIds]));
        batch.BatchCommands.Add(ReservedIds.Command(ordersToInsert, specs.Sum(s => s.Quantity.Value)));

        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        if (continuation is null)
        {
            await reader.NextResultAsync(CancellationToken.None); // past the lock's row
        }

        var market = MarketRules.Unchecked(certificate);
        if (readMarket)
        {
            market = await MarketRules.ReadAsync(reader, certificate);
            await reader.NextResultAsync(CancellationToken.None);
        }

        var candidates = new List<Order>();
        var parties = new Dictionary<Guid, TradingParty>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var order = BatchTables.Orders.Read(reader);
            candidates.Add(order);
            if (!reader.IsDBNull(PartyOrdinal))
            {
                parties[order.HolderId] = new TradingParty(
                    reader.GetString(PartyOrdinal), reader.IsDBNull(PartyOrdinal + 1) ? null : reader.GetString(PartyOrdinal + 1));
            }
        }

        await reader.NextResultAsync(CancellationToken.None);
        var traderRows = new Dictionary<Guid, (Guid? EntityId, bool Funded)>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            traderRows[reader.GetGuid(0)] = (reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetBoolean(2));
        }

        await reader.NextResultAsync(CancellationToken.None);
        var balances = new Dictionary<(Guid HolderId, Asset Asset), Balance>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var row = BatchTables.Balances.Read(reader);
            balances[(row.HolderId, row.Asset)] = row;
        }

        await reader.NextResultAsync(CancellationToken.None);
        var ids = await ReservedIds.ReadAsync(reader);
        return new BatchRead(candidates, traderRows, balances, ids, market, parties);
    }
}
