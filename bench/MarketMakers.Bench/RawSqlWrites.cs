using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>A ticket_logs row as the baseline writes it; payloads are JSON text.</summary>
internal sealed record RawTicketRow(
    TicketNumber Id, Guid UserId, Guid? MarketMakerId, string ActionType, string EntityType, string EntityId,
    string Request, string? Response, string? Before, string After, string Related, string Tags);

/// <summary>
/// The baseline's two write round trips, with <see cref="OrderBatchWriter"/>'s own statement text so that both
/// sides send byte-identical SQL: [orders, trades, ledger rows — each in arrival order, RETURNING ids and sequences]
/// then [tickets, changed balance rows, filled resting orders].
/// </summary>
internal static class RawSqlWrites
{
    public static async Task InsertRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<RawOrder> orders, List<RawTrade> trades, List<RawLedger> ledger)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        if (orders.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrderBatchWriter.OrdersSql,
                orders.Select(o => o.Id).ToArray(), orders.Select(o => o.HolderId).ToArray(), orders.Select(o => o.MarketMakerId).ToArray(),
                orders.Select(_ => "EUA").ToArray(), orders.Select(o => o.Side).ToArray(), orders.Select(_ => "LIMIT").ToArray(),
                orders.Select(o => o.Price).ToArray(), orders.Select(o => o.Quantity).ToArray(), orders.Select(o => o.Filled).ToArray(),
                orders.Select(o => o.Status).ToArray(), orders.Select(o => o.TicketId).ToArray(), new string?[orders.Count],
                orders.Select(o => o.CreatedAt).ToArray(), orders.Select(o => o.UpdatedAt).ToArray()));
        }

        if (trades.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrderBatchWriter.TradesSql,
                trades.Select(t => t.Id).ToArray(), trades.Select(t => t.BuyOrder.Id).ToArray(), trades.Select(t => t.SellOrder.Id).ToArray(),
                trades.Select(t => t.BuyOrder.HolderId).ToArray(), trades.Select(t => t.SellOrder.HolderId).ToArray(),
                trades.Select(t => t.MarketMakerId).ToArray(), trades.Select(t => t.Ticket.Value).ToArray(),
                trades.Select(_ => "EUA").ToArray(), trades.Select(t => t.Price).ToArray(),
                trades.Select(t => t.Quantity).ToArray(), trades.Select(t => t.ExecutedAt).ToArray()));
        }

        if (ledger.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrderBatchWriter.LedgerSql,
                ledger.Select(r => r.TicketId).ToArray(), ledger.Select(r => r.HolderId).ToArray(), ledger.Select(r => r.Asset).ToArray(),
                ledger.Select(r => r.Type).ToArray(), ledger.Select(r => r.Amount).ToArray(), ledger.Select(r => r.BalanceAfter).ToArray(),
                ledger.Select(r => r.Notes).ToArray(), ledger.Select(r => r.CreatedBy).ToArray(), ledger.Select(r => r.At).ToArray()));
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        // The tickets show sequences and ledger ids, so they are read back here as the app does (its order checks
        // included: they are what make one INSERT per table safe for time priority and balance_after).
        await using var r = await batch.ExecuteReaderAsync();
        if (orders.Count > 0)
        {
            var byId = orders.ToDictionary(o => o.Id);
            await ReadSequencesAsync(r, orders.Count, (id, sequence) => byId[id].Sequence = sequence);
            await r.NextResultAsync();
        }

        if (trades.Count > 0)
        {
            var byId = trades.ToDictionary(t => t.Id);
            await ReadSequencesAsync(r, trades.Count, (id, sequence) => byId[id].Sequence = sequence);
            await r.NextResultAsync();
        }

        var i = 0;
        while (ledger.Count > 0 && await r.ReadAsync())
        {
            var row = ledger[i++];
            if (r.GetGuid(1) != row.HolderId || r.GetString(2) != row.Asset || r.GetDecimal(3) != row.BalanceAfter || (i > 1 && r.GetInt64(0) <= ledger[i - 2].Id))
            {
                throw new InvalidOperationException("The ledger rows were not stored in their order.");
            }

            row.Id = r.GetInt64(0);
        }

        if (i != ledger.Count)
        {
            throw new InvalidOperationException($"The ledger insert returned {i} rows for {ledger.Count}.");
        }
    }

    public static async Task WriteTicketsAndUpdatesAsync(
        NpgsqlConnection conn,
        NpgsqlTransaction tx,
        List<RawTicketRow> tickets,
        List<(Guid HolderId, string Asset, RawBalance Row)> balances,
        List<RawOrder> restingOrders)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        if (tickets.Count > 0)
        {
            var none = new string?[tickets.Count];
            batch.BatchCommands.Add(Command(OrderBatchWriter.TicketsSql,
                tickets.Select(t => t.Id.Value).ToArray(), tickets.Select(t => t.Id.Year).ToArray(), tickets.Select(t => t.Id.Number).ToArray(),
                tickets.Select(t => t.Id.IssuedAt).ToArray(), tickets.Select(t => (Guid?)t.UserId).ToArray(), tickets.Select(t => t.MarketMakerId).ToArray(),
                tickets.Select(t => t.ActionType).ToArray(), tickets.Select(t => t.EntityType).ToArray(), tickets.Select(t => t.EntityId).ToArray(),
                tickets.Select(_ => TicketStatus.Success).ToArray(), tickets.Select(t => t.Request).ToArray(), tickets.Select(t => t.Response).ToArray(),
                none, none, none, // ip_address, user_agent, session_id: the bench has no request context
                tickets.Select(t => t.Before).ToArray(), tickets.Select(t => t.After).ToArray(),
                tickets.Select(t => t.Related).ToArray(), tickets.Select(t => t.Tags).ToArray()));
        }

        if (balances.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrderBatchWriter.BalancesSql,
                balances.Select(b => b.HolderId).ToArray(), balances.Select(b => b.Asset).ToArray(), balances.Select(b => b.Row.Available).ToArray(),
                balances.Select(b => b.Row.Locked).ToArray(), balances.Select(b => b.Row.UpdatedAt).ToArray()));
        }

        if (restingOrders.Count > 0)
        {
            batch.BatchCommands.Add(Command(OrderBatchWriter.RestingOrdersSql,
                restingOrders.Select(o => o.Id).ToArray(), restingOrders.Select(o => o.Filled).ToArray(),
                restingOrders.Select(o => o.Status).ToArray(), new string?[restingOrders.Count], restingOrders.Select(o => o.UpdatedAt).ToArray()));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Positional parameters, one array per column, as OrderBatchWriter.Command.</summary>
    private static NpgsqlBatchCommand Command(string sql, params Array[] columns)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var column in columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column });
        }

        return command;
    }

    private static async Task ReadSequencesAsync(NpgsqlDataReader r, int expected, Action<Guid, long> assign)
    {
        var count = 0;
        var last = long.MinValue;
        while (await r.ReadAsync())
        {
            var sequence = r.GetInt64(1);
            if (sequence <= last)
            {
                throw new InvalidOperationException("The insert did not assign sequences in arrival order.");
            }

            assign(r.GetGuid(0), sequence);
            last = sequence;
            count++;
        }

        if (count != expected)
        {
            throw new InvalidOperationException($"The insert returned {count} rows for {expected}.");
        }
    }
}
