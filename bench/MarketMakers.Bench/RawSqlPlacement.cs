using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MarketMakers.Bench;

/// <summary>
/// The raw-SQL baseline for the placement scenario: the statements the service sends, hand-written with Npgsql and
/// batched where EF batches a SaveChanges — user/role check, advisory lock, candidate read, one balance-row lock
/// statement, [balance update + order insert + ledger row], per fill [Redis ticket id; order updates + trade insert +
/// 4 balance updates + 2 ledger rows], [ticket inserts], COMMIT. Ticket ids come from the same Redis allocator.
/// Only the two order shapes of the workload are supported (BUY 1 @ 100 crossing the MM ask, SELL 1 @ 200 resting).
/// </summary>
internal sealed class RawSqlPlacement(string connectionString, ITicketIdAllocator ids, Guid marketMakerId)
{
    private const string Cert = "EUA";
    private readonly NpgsqlDataSource _ds = NpgsqlDataSource.Create(connectionString);

    private sealed class Row(decimal available, decimal locked)
    {
        public decimal Available = available;
        public decimal Locked = locked;
    }

    public async Task PlaceAsync(Guid userId, Guid holderId, bool buy)
    {
        var ticket = await ids.NextAsync();
        var now = ticket.IssuedAt;
        decimal price = buy ? 100m : 200m;
        const long quantity = 1;
        var orderId = Guid.CreateVersion7();

        await using var conn = await _ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();

        await using (var cmd = new NpgsqlCommand("""
            SELECT u.entity_id, EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = @role)
            FROM users u WHERE u.id = @u
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("u", userId);
            cmd.Parameters.AddWithValue("role", Roles.Funded);
            await using var r = await cmd.ExecuteReaderAsync();
            if (!await r.ReadAsync() || !r.GetBoolean(1))
            {
                throw new InvalidOperationException("not funded");
            }
        }

        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", conn, tx))
        {
            cmd.Parameters.AddWithValue("k", OrderService.LockKey(Cert));
            await cmd.ExecuteNonQueryAsync();
        }

        var candidates = new List<(Guid Id, Guid Holder, decimal Price, long Quantity, long Filled, string TicketId)>();
        await using (var cmd = new NpgsqlCommand(buy
            ? """
              SELECT * FROM (
                  SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
                  FROM (SELECT * FROM orders WHERE certificate_type = @c AND side = 'SELL' AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price <= @p
                        ORDER BY price, sequence LIMIT @q) c
              ) w WHERE w.ahead < @q
              """
            : """
              SELECT * FROM (
                  SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price DESC, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
                  FROM (SELECT * FROM orders WHERE certificate_type = @c AND side = 'BUY' AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price >= @p
                        ORDER BY price DESC, sequence LIMIT @q) c
              ) w WHERE w.ahead < @q
              """, conn, tx))
        {
            cmd.Parameters.AddWithValue("c", Cert);
            cmd.Parameters.AddWithValue("p", price);
            cmd.Parameters.AddWithValue("q", quantity);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                candidates.Add((r.GetGuid(r.GetOrdinal("id")), r.GetGuid(r.GetOrdinal("holder_id")), r.GetDecimal(r.GetOrdinal("price")),
                    r.GetInt64(r.GetOrdinal("quantity")), r.GetInt64(r.GetOrdinal("filled_quantity")), r.GetString(r.GetOrdinal("ticket_id"))));
            }
        }

        var keys = new List<(Guid Holder, string Asset)> { (holderId, Cert), (holderId, "EUR") };
        foreach (var c in candidates)
        {
            keys.Add((c.Holder, Cert));
            keys.Add((c.Holder, "EUR"));
        }

        keys = keys.Distinct().ToList();
        var rows = new Dictionary<(Guid, string), Row>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT b.holder_id, b.asset, b.available, b.locked FROM balances b
            JOIN unnest(@h::uuid[], @a::text[]) AS k(holder_id, asset) ON b.holder_id = k.holder_id AND b.asset = k.asset
            ORDER BY b.holder_id, b.asset COLLATE "C"
            FOR UPDATE OF b
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("h", keys.Select(k => k.Holder).ToArray());
            cmd.Parameters.AddWithValue("a", keys.Select(k => k.Asset).ToArray());
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                rows[(r.GetGuid(0), r.GetString(1))] = new Row(r.GetDecimal(2), r.GetDecimal(3));
            }
        }

        // Lock the funds, insert the order and its ledger row: one batch, as EF's first SaveChanges.
        var lockAsset = buy ? "EUR" : Cert;
        var lockAmount = buy ? price * quantity : quantity;
        var own = rows[(holderId, lockAsset)];
        own.Available -= lockAmount;
        own.Locked += lockAmount;
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(BalanceUpdate(holderId, lockAsset, own, now));
            var order = new NpgsqlBatchCommand("""
                INSERT INTO orders (id, holder_id, certificate_type, side, order_type, price, quantity, filled_quantity, status, market_maker_id, ticket_id, cancel_reason, created_at, updated_at)
                VALUES (@id, @h, @c, @s, 'LIMIT', @p, @q, 0, 'OPEN', NULL, @t, NULL, @now, @now) RETURNING sequence
                """);
            order.Parameters.AddWithValue("id", orderId);
            order.Parameters.AddWithValue("h", holderId);
            order.Parameters.AddWithValue("c", Cert);
            order.Parameters.AddWithValue("s", buy ? "BUY" : "SELL");
            order.Parameters.AddWithValue("p", price);
            order.Parameters.AddWithValue("q", quantity);
            order.Parameters.AddWithValue("t", ticket.Value);
            order.Parameters.AddWithValue("now", now);
            batch.BatchCommands.Add(order);
            batch.BatchCommands.Add(Ledger(ticket.Value, holderId, lockAsset, "TRADE_DEBIT", -lockAmount, own.Available, userId, now));
            await batch.ExecuteNonQueryAsync();
        }

        var tickets = new List<(TicketNumber Id, string Action, string Entity, string EntityId, string Request, string After, string[] Related, string[] Tags)>();
        var tradeTickets = new List<string>();
        if (buy && candidates.Count > 0)
        {
            var maker = candidates[0];
            var tradeTicket = await ids.NextAsync();
            var tradeId = Guid.CreateVersion7();
            var value = maker.Price * quantity;
            var sellerCert = rows[(maker.Holder, Cert)];
            var sellerEur = rows[(maker.Holder, "EUR")];
            var buyerEur = rows[(holderId, "EUR")];
            var buyerCert = rows[(holderId, Cert)];
            sellerCert.Locked -= quantity;
            sellerEur.Available += value;
            buyerEur.Locked -= value;
            buyerCert.Available += quantity;
            await using (var batch = new NpgsqlBatch(conn, tx))
            {
                batch.BatchCommands.Add(OrderFill(orderId, quantity, "FILLED", now));
                var makerFilled = maker.Filled + quantity;
                batch.BatchCommands.Add(OrderFill(maker.Id, makerFilled, makerFilled == maker.Quantity ? "FILLED" : "PARTIALLY_FILLED", now));
                var trade = new NpgsqlBatchCommand("""
                    INSERT INTO cash_market_trades (id, buy_order_id, sell_order_id, buyer_holder_id, seller_holder_id, market_maker_id, ticket_id, certificate_type, price, quantity, executed_at)
                    VALUES (@id, @b, @s, @bh, @sh, @mm, @t, @c, @p, @q, @now) RETURNING sequence
                    """);
                trade.Parameters.AddWithValue("id", tradeId);
                trade.Parameters.AddWithValue("b", orderId);
                trade.Parameters.AddWithValue("s", maker.Id);
                trade.Parameters.AddWithValue("bh", holderId);
                trade.Parameters.AddWithValue("sh", maker.Holder);
                trade.Parameters.AddWithValue("mm", maker.Holder == marketMakerId ? marketMakerId : DBNull.Value);
                trade.Parameters.AddWithValue("t", tradeTicket.Value);
                trade.Parameters.AddWithValue("c", Cert);
                trade.Parameters.AddWithValue("p", maker.Price);
                trade.Parameters.AddWithValue("q", quantity);
                trade.Parameters.AddWithValue("now", now);
                batch.BatchCommands.Add(trade);
                batch.BatchCommands.Add(BalanceUpdate(maker.Holder, Cert, sellerCert, now));
                batch.BatchCommands.Add(BalanceUpdate(maker.Holder, "EUR", sellerEur, now));
                batch.BatchCommands.Add(BalanceUpdate(holderId, "EUR", buyerEur, now));
                batch.BatchCommands.Add(BalanceUpdate(holderId, Cert, buyerCert, now));
                batch.BatchCommands.Add(Ledger(tradeTicket.Value, maker.Holder, "EUR", "TRADE_CREDIT", value, sellerEur.Available, userId, now));
                batch.BatchCommands.Add(Ledger(tradeTicket.Value, holderId, Cert, "TRADE_CREDIT", quantity, buyerCert.Available, userId, now));
                await batch.ExecuteNonQueryAsync();
            }

            tradeTickets.Add(tradeTicket.Value);
            tickets.Add((tradeTicket, "TRADE_EXECUTED", "trade", tradeId.ToString(),
                $$$"""{"incoming_order_id":"{{{orderId}}}","resting_order_id":"{{{maker.Id}}}"}""",
                $$$"""{"trade":{"id":"{{{tradeId}}}","price":"{{{maker.Price}}}","quantity":{{{quantity}}},"ticket_id":"{{{tradeTicket.Value}}}","buy_order_id":"{{{orderId}}}","sell_order_id":"{{{maker.Id}}}","buyer_holder_id":"{{{holderId}}}","seller_holder_id":"{{{maker.Holder}}}","certificate_type":"EUA"},"ledger":[{"asset":"EUA","holder_id":"{{{maker.Holder}}}","locked_change":"-1","available_after":"{{{sellerCert.Available}}}","locked_after":"{{{sellerCert.Locked}}}"},{"asset":"EUR","holder_id":"{{{maker.Holder}}}","available_change":"{{{value}}}","available_after":"{{{sellerEur.Available}}}"},{"asset":"EUR","holder_id":"{{{holderId}}}","locked_change":"-{{{value}}}","locked_after":"{{{buyerEur.Locked}}}"},{"asset":"EUA","holder_id":"{{{holderId}}}","available_change":"1","available_after":"{{{buyerCert.Available}}}"}],"buy_order":{"id":"{{{orderId}}}","status":"FILLED"},"sell_order":{"id":"{{{maker.Id}}}","status":"PARTIALLY_FILLED"}}""",
                [ticket.Value, maker.TicketId], ["trade", "eua"]));
        }

        tickets.Insert(0, (ticket, "ORDER_PLACED", "order", orderId.ToString(),
            $$$"""{"side":"{{{(buy ? "BUY" : "SELL")}}}","price":"{{{price}}}","quantity":"1","order_type":"LIMIT","certificate_type":"EUA"}""",
            $$$"""{"order":{"id":"{{{orderId}}}","side":"{{{(buy ? "BUY" : "SELL")}}}","price":"{{{price}}}","status":"{{{(tradeTickets.Count > 0 ? "FILLED" : "OPEN")}}}","quantity":1,"holder_id":"{{{holderId}}}","certificate_type":"EUA"},"ledger":[{"asset":"{{{lockAsset}}}","holder_id":"{{{holderId}}}","locked_change":"{{{lockAmount}}}","available_change":"-{{{lockAmount}}}","available_after":"{{{own.Available}}}","transaction_type":"TRADE_DEBIT"}],"trades":[]}""",
            [.. tradeTickets], ["cash_market", "order", "place"]));

        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            foreach (var t in tickets)
            {
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id, status,
                        request_payload, response_data, ip_address, user_agent, session_id, before_state, after_state, related_ticket_ids, tags)
                    VALUES (@id, @y, @n, @ts, @u, NULL, @a, @e, @eid, 'SUCCESS', @req, @resp, NULL, NULL, NULL, @before, @after, @rel, @tags)
                    """);
                cmd.Parameters.AddWithValue("id", t.Id.Value);
                cmd.Parameters.AddWithValue("y", t.Id.Year);
                cmd.Parameters.AddWithValue("n", t.Id.Number);
                cmd.Parameters.AddWithValue("ts", t.Id.IssuedAt);
                cmd.Parameters.AddWithValue("u", userId);
                cmd.Parameters.AddWithValue("a", t.Action);
                cmd.Parameters.AddWithValue("e", t.Entity);
                cmd.Parameters.AddWithValue("eid", t.EntityId);
                cmd.Parameters.AddWithValue("req", NpgsqlDbType.Jsonb, t.Request);
                cmd.Parameters.AddWithValue("resp", NpgsqlDbType.Jsonb, $$$"""{"order":{"id":"{{{orderId}}}"},"trade_ticket_ids":[]}""");
                cmd.Parameters.AddWithValue("before", NpgsqlDbType.Jsonb, """{"balances":{"EUA":{"total":"0","locked":"0","available":"0"},"EUR":{"total":"0","locked":"0","available":"0"}}}""");
                cmd.Parameters.AddWithValue("after", NpgsqlDbType.Jsonb, t.After);
                cmd.Parameters.AddWithValue("rel", t.Related);
                cmd.Parameters.AddWithValue("tags", t.Tags);
                batch.BatchCommands.Add(cmd);
            }

            await batch.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    private static NpgsqlBatchCommand BalanceUpdate(Guid holder, string asset, Row row, DateTimeOffset now)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE balances SET available = @av, locked = @lo, updated_at = @now WHERE holder_id = @h AND asset = @a");
        cmd.Parameters.AddWithValue("av", row.Available);
        cmd.Parameters.AddWithValue("lo", row.Locked);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("h", holder);
        cmd.Parameters.AddWithValue("a", asset);
        return cmd;
    }

    private static NpgsqlBatchCommand OrderFill(Guid id, long filled, string status, DateTimeOffset now)
    {
        var cmd = new NpgsqlBatchCommand("UPDATE orders SET filled_quantity = @f, status = @s, updated_at = @now WHERE id = @id");
        cmd.Parameters.AddWithValue("f", filled);
        cmd.Parameters.AddWithValue("s", status);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("id", id);
        return cmd;
    }

    private static NpgsqlBatchCommand Ledger(string ticket, Guid holder, string asset, string type, decimal amount, decimal after, Guid userId, DateTimeOffset now)
    {
        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO asset_transactions (ticket_id, holder_id, asset, transaction_type, amount, balance_after, notes, created_by, created_at)
            VALUES (@t, @h, @a, @ty, @am, @ba, @no, @u, @now) RETURNING id
            """);
        cmd.Parameters.AddWithValue("t", ticket);
        cmd.Parameters.AddWithValue("h", holder);
        cmd.Parameters.AddWithValue("a", asset);
        cmd.Parameters.AddWithValue("ty", type);
        cmd.Parameters.AddWithValue("am", amount);
        cmd.Parameters.AddWithValue("ba", after);
        cmd.Parameters.AddWithValue("no", "bench baseline");
        cmd.Parameters.AddWithValue("u", userId);
        cmd.Parameters.AddWithValue("now", now);
        return cmd;
    }
}
