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
    internal const string OrdersSql = """
        INSERT INTO orders (id, holder_id, market_maker_id, certificate_type, side, order_type, price, quantity,
                            filled_quantity, status, ticket_id, cancel_reason, created_at, updated_at, sequence)
        OVERRIDING SYSTEM VALUE
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::bigint[],
                             $9::bigint[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::bigint[])
        """;

    internal const string TradesSql = """
        INSERT INTO cash_market_trades (id, buy_order_id, sell_order_id, buyer_holder_id, seller_holder_id, market_maker_id,
                                        ticket_id, certificate_type, price, quantity, executed_at, sequence)
        OVERRIDING SYSTEM VALUE
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
                             $9::numeric[], $10::bigint[], $11::timestamptz[], $12::bigint[])
        """;

    internal const string LedgerSql = """
        INSERT INTO asset_transactions (ticket_id, holder_id, asset, transaction_type, amount, balance_after, notes, created_by, created_at, id)
        OVERRIDING SYSTEM VALUE
        SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::text[], $8::uuid[],
                             $9::timestamptz[], $10::bigint[])
        """;

    internal const string TicketsSql = """
        INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id,
                                 status, request_payload, response_data, ip_address, user_agent, session_id, before_state,
                                 after_state, related_ticket_ids, tags)
        SELECT ticket_id, year, number, ts, user_id, market_maker_id, action_type, entity_type, entity_id,
               status, request_payload, response_data, ip_address, user_agent, session_id, before_state,
               after_state, string_to_array(related, E'\x1f'), string_to_array(tags, E'\x1f')
        FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                    $10::text[], $11::jsonb[], $12::jsonb[], $13::text[], $14::text[], $15::text[], $16::jsonb[],
                    $17::jsonb[], $18::text[], $19::text[])
             AS u(ticket_id, year, number, ts, user_id, market_maker_id, action_type, entity_type, entity_id,
                  status, request_payload, response_data, ip_address, user_agent, session_id, before_state,
                  after_state, related, tags)
        """;

    internal const string BalancesSql = """
        UPDATE balances b SET available = u.available, locked = u.locked, updated_at = u.updated_at
        FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::numeric[], $5::timestamptz[]) AS u(holder_id, asset, available, locked, updated_at)
        WHERE b.holder_id = u.holder_id AND b.asset = u.asset
        """;

    internal const string RestingOrdersSql = """
        UPDATE orders o SET filled_quantity = u.filled_quantity, status = u.status, cancel_reason = u.cancel_reason, updated_at = u.updated_at
        FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[]) AS u(id, filled_quantity, status, cancel_reason, updated_at)
        WHERE o.id = u.id
        """;

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
            batch.BatchCommands.Add(Command(OrdersSql,
                orders.Select(o => o.Id).ToArray(), orders.Select(o => o.HolderId).ToArray(), orders.Select(o => o.MarketMakerId).ToArray(),
                orders.Select(o => o.CertificateType).ToArray(), orders.Select(o => o.Side).ToArray(), orders.Select(o => o.OrderType).ToArray(),
                orders.Select(o => o.Price).ToArray(), orders.Select(o => o.Quantity).ToArray(), orders.Select(o => o.FilledQuantity).ToArray(),
                orders.Select(o => o.Status).ToArray(), orders.Select(o => o.TicketId).ToArray(), orders.Select(o => o.CancelReason).ToArray(),
                orders.Select(o => o.CreatedAt).ToArray(), orders.Select(o => o.UpdatedAt).ToArray(), orders.Select(o => o.Sequence).ToArray()));
        }

        if (trades.Count > 0)
        {
            batch.BatchCommands.Add(Command(TradesSql,
                trades.Select(t => t.Id).ToArray(), trades.Select(t => t.BuyOrderId).ToArray(), trades.Select(t => t.SellOrderId).ToArray(),
                trades.Select(t => t.BuyerHolderId).ToArray(), trades.Select(t => t.SellerHolderId).ToArray(),
                trades.Select(t => t.MarketMakerId).ToArray(), trades.Select(t => t.TicketId).ToArray(),
                trades.Select(t => t.CertificateType).ToArray(), trades.Select(t => t.Price).ToArray(),
                trades.Select(t => t.Quantity).ToArray(), trades.Select(t => t.ExecutedAt).ToArray(), trades.Select(t => t.Sequence).ToArray()));
        }

        if (ledger.Count > 0)
        {
            batch.BatchCommands.Add(Command(LedgerSql,
                ledger.Select(r => r.TicketId).ToArray(), ledger.Select(r => r.HolderId).ToArray(), ledger.Select(r => r.Asset).ToArray(),
                ledger.Select(r => r.TransactionType).ToArray(), ledger.Select(r => r.Amount).ToArray(),
                ledger.Select(r => r.BalanceAfter).ToArray(), ledger.Select(r => r.Notes).ToArray(),
                ledger.Select(r => r.CreatedBy).ToArray(), ledger.Select(r => r.CreatedAt).ToArray(), ledger.Select(r => r.Id).ToArray()));
        }

        if (tickets.Count > 0)
        {
            batch.BatchCommands.Add(Command(TicketsSql,
                tickets.Select(t => t.TicketId).ToArray(), tickets.Select(t => t.Year).ToArray(), tickets.Select(t => t.Number).ToArray(),
                tickets.Select(t => t.Timestamp).ToArray(), tickets.Select(t => t.UserId).ToArray(), tickets.Select(t => t.MarketMakerId).ToArray(),
                tickets.Select(t => t.ActionType).ToArray(), tickets.Select(t => t.EntityType).ToArray(), tickets.Select(t => t.EntityId).ToArray(),
                tickets.Select(t => t.Status).ToArray(), tickets.Select(t => t.RequestPayload).ToArray(), tickets.Select(t => t.ResponseData).ToArray(),
                tickets.Select(t => t.IpAddress).ToArray(), tickets.Select(t => t.UserAgent).ToArray(), tickets.Select(t => t.SessionId).ToArray(),
                tickets.Select(t => t.BeforeState).ToArray(), tickets.Select(t => t.AfterState).ToArray(),
                tickets.Select(t => JoinList(t.RelatedTicketIds)).ToArray(), tickets.Select(t => JoinList(t.Tags)).ToArray()));
        }

        if (balances.Count > 0)
        {
            batch.BatchCommands.Add(Command(BalancesSql,
                balances.Select(b => b.HolderId).ToArray(), balances.Select(b => b.Asset).ToArray(), balances.Select(b => b.Available).ToArray(),
                balances.Select(b => b.Locked).ToArray(), balances.Select(b => b.UpdatedAt).ToArray()));
        }

        if (restingOrders.Count > 0)
        {
            batch.BatchCommands.Add(Command(RestingOrdersSql,
                restingOrders.Select(o => o.Id).ToArray(), restingOrders.Select(o => o.FilledQuantity).ToArray(),
                restingOrders.Select(o => o.Status).ToArray(), restingOrders.Select(o => o.CancelReason).ToArray(),
                restingOrders.Select(o => o.UpdatedAt).ToArray()));
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
