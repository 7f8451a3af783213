using MarketMakers.Core.Ledger;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The last round trip of an order batch: its new orders, trades and ledger rows (with the sequence values and ids
/// reserved in its first round trip, see <see cref="ReservedIds"/>), its tickets, the balance rows it moved and the
/// resting orders it filled, then COMMIT, as one pipelined batch of statements. A statement that fails makes
/// PostgreSQL skip the rest, COMMIT included, so a <see cref="PostgresException"/> from here means nothing was
/// stored; any other error after sending means the outcome is unknown. See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal static class OrderBatchWriter
{
    // Derived from the batch's one description of each table (BatchTables); kept as fields for the bench's baseline,
    // which sends the same statements.
    internal static readonly string OrdersSql = BatchTables.Orders.InsertSql();

    internal static readonly string TradesSql = BatchTables.Trades.InsertSql();

    internal static readonly string LedgerSql = BatchTables.Ledger.InsertSql();

    internal static readonly string TicketsSql = BatchTables.Tickets.InsertSql();

    internal static readonly string BalancesSql = BatchTables.BalanceUpdates.Sql;

    internal static readonly string RestingOrdersSql = BatchTables.RestingOrders.Sql;

    /// <summary>Sends every write of the batch and its COMMIT in one round trip.</summary>
    public static async Task WriteAndCommitAsync(
        NpgsqlConnection connection,
        IReadOnlyList<Order> orders,
        IReadOnlyList<CashMarketTrade> trades,
        IReadOnlyList<AssetTransaction> ledger,
        IReadOnlyList<Audit.Ticket> tickets,
        IReadOnlyList<Balance> balances,
        IReadOnlyList<Order> restingOrders)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (orders.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrdersSql, BatchTables.Orders.InsertValues(orders)));
        }

        if (trades.Count > 0)
        {
            batch.BatchCommands.Add(Command(TradesSql, BatchTables.Trades.InsertValues(trades)));
        }

        if (ledger.Count > 0)
        {
            batch.BatchCommands.Add(Command(LedgerSql, BatchTables.Ledger.InsertValues(ledger)));
        }

        if (tickets.Count > 0)
        {
            batch.BatchCommands.Add(Command(TicketsSql, BatchTables.Tickets.InsertValues(tickets)));
        }

        if (balances.Count > 0)
        {
            batch.BatchCommands.Add(Command(BalancesSql, BatchTables.BalanceUpdates.Values(balances)));
        }

        if (restingOrders.Count > 0)
        {
            batch.BatchCommands.Add(Command(RestingOrdersSql, BatchTables.RestingOrders.Values(restingOrders)));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Separates the items of a ticket's text[] columns (ticket ids, tags) in <see cref="TicketsSql"/>.</summary>
    internal const char ListSeparator = '\u001f';

    /// <summary>
    /// A text[] column travels as one delimited string per row (unnest cannot take ragged arrays); cheaper for the
    /// server than parsing a JSON array per row. Ticket ids and tags never contain the separator.
    /// </summary>
    internal static string JoinList(IEnumerable<string> items) => string.Join(ListSeparator, items);

    /// <summary>A statement with positional parameters ($1, $2, …) in the order given.</summary>
    internal static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
