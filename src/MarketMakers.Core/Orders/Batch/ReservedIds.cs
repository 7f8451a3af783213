using System.Data.Common;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Values taken from the identity sequences of orders (time priority), trades (tape order) and ledger rows, in the
/// batch's first round trip, so that the batch can render its tickets (which name them) before its single write
/// round trip instead of waiting for an INSERT … RETURNING. The orders' count is exact; trades and ledger rows get a
/// bound that covers the usual batch, and a batch that needs more tops up with one more round trip. Unused values
/// are skipped for good, as a rolled-back insert skips them: the columns promise order, not gap-free numbering.
/// See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal sealed class ReservedIds
{
    // The identity sequences by name, resolved once per statement (pg_get_serial_sequence per row cost 1 ms a batch).
    internal const string Sql = """
        SELECT ARRAY(SELECT nextval('orders_sequence_seq'::regclass) FROM generate_series(1, $1) ORDER BY 1),
               ARRAY(SELECT nextval('cash_market_trades_sequence_seq'::regclass) FROM generate_series(1, $2) ORDER BY 1),
               ARRAY(SELECT nextval('asset_transactions_id_seq'::regclass) FROM generate_series(1, $3) ORDER BY 1)
        """;

    private readonly List<long> _orders = [];
    private readonly List<long> _trades = [];
    private readonly List<long> _ledger = [];

    /// <summary>
    /// Fills are never more than the orders' total quantity; a batch usually has fewer fills than orders, and one that
    /// sweeps several levels tops up (<see cref="AssignAsync"/>). A fill writes at most three ledger rows and an order
    /// at most two of its own (lock, self-trade release). Each value costs a nextval, so the bound stays tight.
    /// </summary>
    public static NpgsqlBatchCommand Command(int orders, long totalQuantity)
    {
        var trades = (int)Math.Min(totalQuantity, orders + 4L);
        return OrderBatchWriter.Command(Sql, orders, trades, 2 * orders + 3 * trades);
    }

    public static async Task<ReservedIds> ReadAsync(DbDataReader reader)
    {
        var ids = new ReservedIds();
        if (await reader.ReadAsync(CancellationToken.None))
        {
            ids.Add(reader.GetFieldValue<long[]>(0), reader.GetFieldValue<long[]>(1), reader.GetFieldValue<long[]>(2));
        }

        return ids;
    }

    /// <summary>The values for the batch's new orders, trades and ledger rows, in creation order.</summary>
    public IReadOnlyList<long> Orders => _orders;

    public IReadOnlyList<long> Trades => _trades;

    public IReadOnlyList<long> Ledger => _ledger;

    /// <summary>
    /// Reserves more with the same statement when the batch outgrew the bound. Taken after the first values, so they
    /// are higher and creation order is still ascending order.
    /// </summary>
    public async Task EnsureAsync(NpgsqlConnection connection, int orders, int trades, int ledger)
    {
        int[] missing = [orders - _orders.Count, trades - _trades.Count, ledger - _ledger.Count];
        if (missing.All(m => m <= 0))
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { OrderBatchWriter.Command(Sql, [.. missing.Select(m => Math.Max(0, m))]) } };
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        await reader.ReadAsync(CancellationToken.None);
        Add(reader.GetFieldValue<long[]>(0), reader.GetFieldValue<long[]>(1), reader.GetFieldValue<long[]>(2));
    }

    /// <summary>Assigns the reserved values in creation order, reserving more first if the batch outgrew the bound.</summary>
    public async Task AssignAsync(
        NpgsqlConnection connection, IReadOnlyList<Order> orders, IReadOnlyList<CashMarketTrade> trades, IReadOnlyList<Ledger.AssetTransaction> ledger)
    {
        await EnsureAsync(connection, orders.Count, trades.Count, ledger.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            orders[i].AssignSequence(_orders[i]);
        }

        for (var i = 0; i < trades.Count; i++)
        {
            trades[i].AssignSequence(_trades[i]);
        }

        for (var i = 0; i < ledger.Count; i++)
        {
            ledger[i].AssignId(_ledger[i]);
        }
    }

    private void Add(long[] orders, long[] trades, long[] ledger)
    {
        _orders.AddRange(orders);
        _trades.AddRange(trades);
        _ledger.AddRange(ledger);
    }
}
