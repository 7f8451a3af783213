using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// The baseline batch's reads under the instrument lock, with the statement text of Core's EF interpolated queries
/// (which cannot be shared as constants) and Npgsql positional parameters.
/// </summary>
internal static class RawSqlReads
{
    // OrderBatchProcessor.LoadCandidatesAsync, with Npgsql parameters (Core's is an EF interpolated query).
    private const string CandidatesSql = """
        SELECT * FROM (
            SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
            FROM (SELECT * FROM orders
                  WHERE certificate_type = $1 AND side = 'SELL'
                    AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price <= $2
                  ORDER BY price, sequence
                  LIMIT $3) c
        ) asks WHERE asks.ahead < $3
        UNION ALL
        SELECT * FROM (
            SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price DESC, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
            FROM (SELECT * FROM orders
                  WHERE certificate_type = $1 AND side = 'BUY'
                    AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price >= $4
                  ORDER BY price DESC, sequence
                  LIMIT $5) c
        ) bids WHERE bids.ahead < $5
        """;

    // LedgerService.SelectManyForUpdateAsync: one statement, rows locked in (holder, asset) order against deadlocks.
    private const string LockSql = """
        SELECT b.* FROM balances b
        JOIN unnest($1::uuid[], $2::text[]) AS k(holder_id, asset)
          ON b.holder_id = k.holder_id AND b.asset = k.asset
        ORDER BY b.holder_id, b.asset COLLATE "C"
        FOR UPDATE OF b
        """;

    // LedgerService.CreateMissingAsync: only when a fill credits an asset its receiver never held (not in steady state).
    private const string CreateMissingSql = """
        INSERT INTO balances (holder_id, asset, available, locked, updated_at)
        SELECT k.holder_id, k.asset, 0, 0, $3
        FROM unnest($1::uuid[], $2::text[]) AS k(holder_id, asset)
        ORDER BY k.holder_id, k.asset COLLATE "C"
        ON CONFLICT (holder_id, asset) DO NOTHING
        """;

    /// <summary>
    /// The reachable book: asks at or below the highest BUY limit, only as deep as all the batch's BUYs together can
    /// fill; bids likewise for its SELLs (none in this workload: no bid reaches 200).
    /// </summary>
    public static async Task LoadCandidatesAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string certificate, long buyQuantity, decimal highestBid, long sellQuantity, decimal lowestAsk,
        List<RawOrder> asks, List<RawOrder> bids)
    {
        await using var cmd = new NpgsqlCommand(CandidatesSql, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = certificate });
        cmd.Parameters.Add(new NpgsqlParameter { Value = buyQuantity > 0 ? highestBid : 0m });
        cmd.Parameters.Add(new NpgsqlParameter { Value = buyQuantity });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sellQuantity > 0 ? lowestAsk : Order.MaxPrice });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sellQuantity });
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var buy = r.GetString(r.GetOrdinal("side")) == "BUY";
            var filled = r.GetInt64(r.GetOrdinal("filled_quantity"));
            var status = r.GetString(r.GetOrdinal("status"));
            var mm = r.GetOrdinal("market_maker_id");
            (buy ? bids : asks).Add(new RawOrder
            {
                Id = r.GetGuid(r.GetOrdinal("id")),
                HolderId = r.GetGuid(r.GetOrdinal("holder_id")),
                MarketMakerId = r.IsDBNull(mm) ? null : r.GetGuid(mm),
                Buy = buy,
                Price = r.GetDecimal(r.GetOrdinal("price")),
                Quantity = r.GetInt64(r.GetOrdinal("quantity")),
                Filled = filled,
                Status = status,
                Loaded = (filled, status),
                TicketId = r.GetString(r.GetOrdinal("ticket_id")),
                Sequence = r.GetInt64(r.GetOrdinal("sequence")),
                CreatedAt = r.GetFieldValue<DateTimeOffset>(r.GetOrdinal("created_at")),
                UpdatedAt = r.GetFieldValue<DateTimeOffset>(r.GetOrdinal("updated_at")),
            });
        }
    }

    /// <summary>Locks the existing rows among <paramref name="keys"/> into <paramref name="balances"/>; missing rows stay absent.</summary>
    public static async Task LockAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(Guid HolderId, string Asset)> keys, Dictionary<(Guid HolderId, string Asset), RawBalance> balances)
    {
        await using var cmd = new NpgsqlCommand(LockSql, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.HolderId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Asset).ToArray() });
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var key = (r.GetGuid(r.GetOrdinal("holder_id")), r.GetString(r.GetOrdinal("asset")));
            balances[key] = new RawBalance(r.GetDecimal(r.GetOrdinal("available")), r.GetDecimal(r.GetOrdinal("locked")));
        }
    }

    /// <summary>A fill may credit an asset its receiver never held: create those rows, then lock them (as BatchState.EnsureAsync).</summary>
    public static async Task EnsureAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, IEnumerable<(Guid HolderId, string Asset)> keys,
        Dictionary<(Guid HolderId, string Asset), RawBalance> balances)
    {
        var missing = keys.Where(k => !balances.ContainsKey(k)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await using (var cmd = new NpgsqlCommand(CreateMissingSql, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.HolderId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.Asset).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            await cmd.ExecuteNonQueryAsync();
        }

        await LockAsync(conn, tx, missing, balances);
    }
}
