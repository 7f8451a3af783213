using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>A ticket_logs row as the baseline writes it; payloads are JSON text.</summary>
internal sealed record RawTicketRow(
    TicketNumber Id, Guid UserId, Guid? MarketMakerId, string ActionType, string EntityType, string EntityId,
    string Request, string? Response, string? Before, string After, string Related, string Tags);

/// <summary>
/// The baseline batch's last round trip, with <see cref="OrderBatchWriter"/>'s own statement text and parameter
/// helper so that both sides send byte-identical SQL: orders, trades and ledger rows (each in creation order, with
/// the sequences and ids reserved in the first round trip, no RETURNING), tickets, changed balance rows, filled
/// resting orders, then COMMIT. A failing statement makes PostgreSQL skip the rest, COMMIT included.
/// </summary>
internal static class RawSqlWrites
{
    private const string Cert = "EUA";

    public static async Task WriteAndCommitAsync(
        NpgsqlConnection conn,
        List<RawOrder> orders,
        List<RawTrade> trades,
        List<RawLedger> ledger,
        List<RawTicketRow> tickets,
        List<(Guid HolderId, string Asset, RawBalance Row)> balances,
        List<RawOrder> restingOrders)
    {
        await using var batch = new NpgsqlBatch(conn);
        if (orders.Count > 0)
        {
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.OrdersSql,
                orders.Select(o => o.Id).ToArray(), orders.Select(o => o.HolderId).ToArray(), orders.Select(o => o.MarketMakerId).ToArray(),
                orders.Select(_ => Cert).ToArray(), orders.Select(o => o.Side).ToArray(), orders.Select(_ => "LIMIT").ToArray(),
                orders.Select(o => o.Price).ToArray(), orders.Select(o => o.Quantity).ToArray(), orders.Select(o => o.Filled).ToArray(),
                orders.Select(o => o.Status).ToArray(), orders.Select(o => o.TicketId).ToArray(), new string?[orders.Count],
                orders.Select(o => o.CreatedAt).ToArray(), orders.Select(o => o.UpdatedAt).ToArray(), orders.Select(o => o.Sequence).ToArray()));
        }

        if (trades.Count > 0)
        {
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.TradesSql,
                trades.Select(t => t.Id).ToArray(), trades.Select(t => t.BuyOrder.Id).ToArray(), trades.Select(t => t.SellOrder.Id).ToArray(),
                trades.Select(t => t.BuyOrder.HolderId).ToArray(), trades.Select(t => t.SellOrder.HolderId).ToArray(),
                trades.Select(t => t.MarketMakerId).ToArray(), trades.Select(t => t.Ticket.Value).ToArray(),
                trades.Select(_ => Cert).ToArray(), trades.Select(t => t.Price).ToArray(),
                trades.Select(t => t.Quantity).ToArray(), trades.Select(t => t.ExecutedAt).ToArray(), trades.Select(t => t.Sequence).ToArray()));
        }

        if (ledger.Count > 0)
        {
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.LedgerSql,
                ledger.Select(r => r.TicketId).ToArray(), ledger.Select(r => r.HolderId).ToArray(), ledger.Select(r => r.Asset).ToArray(),
                ledger.Select(r => r.Type).ToArray(), ledger.Select(r => r.Amount).ToArray(), ledger.Select(r => r.BalanceAfter).ToArray(),
                ledger.Select(r => r.Notes).ToArray(), ledger.Select(r => r.CreatedBy).ToArray(), ledger.Select(r => r.At).ToArray(),
                ledger.Select(r => r.Id).ToArray()));
        }

        if (tickets.Count > 0)
        {
            var none = new string?[tickets.Count];
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.TicketsSql,
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
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.BalancesSql,
                balances.Select(b => b.HolderId).ToArray(), balances.Select(b => b.Asset).ToArray(), balances.Select(b => b.Row.Available).ToArray(),
                balances.Select(b => b.Row.Locked).ToArray(), balances.Select(b => b.Row.UpdatedAt).ToArray()));
        }

        if (restingOrders.Count > 0)
        {
            batch.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchWriter.RestingOrdersSql,
                restingOrders.Select(o => o.Id).ToArray(), restingOrders.Select(o => o.Filled).ToArray(),
                restingOrders.Select(o => o.Status).ToArray(), new string?[restingOrders.Count], restingOrders.Select(o => o.UpdatedAt).ToArray()));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync();
    }
}
