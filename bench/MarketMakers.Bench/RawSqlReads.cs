using MarketMakers.Core.Identity;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// The baseline batch's first round trip, with Core's own statement text (<see cref="OrderBatchReader"/>,
/// <see cref="ReservedIds"/>) so that both sides send byte-identical SQL, and the rare extra round trip that creates
/// a balance row a fill credits to a receiver who never held that asset.
/// </summary>
internal static class RawSqlReads
{
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
    /// As <c>OrderBatchReader.ReadAsync</c>: BEGIN, the instrument lock, the reachable book (asks at or below the
    /// highest BUY limit, only as deep as the BUYs together can fill; bids likewise for the SELLs, none in this
    /// workload), the traders' entities and FUNDED role, the locked balance rows of their entities and of every
    /// candidate's holder, and the id
    /// reservation — one pipelined batch that PostgreSQL runs in order, so everything after the lock is read under it.
    /// </summary>
    public static async Task<ReservedIds> ReadAsync(
        NpgsqlConnection conn, string certificate, IReadOnlyList<RawPending> batch, decimal buyPrice, decimal sellPrice,
        List<RawOrder> asks, List<RawOrder> bids, Dictionary<(Guid HolderId, string Asset), RawBalance> balances)
    {
        // The same parameter values and CLR types as the app's (decimal limits, long quantities).
        long buys = batch.Count(p => p.Buy);
        long sells = batch.Count - buys;
        object[] book = [certificate, buys > 0 ? buyPrice : 0m, buys, sells > 0 ? sellPrice : Price.Max, sells];

        await using var cmds = new NpgsqlBatch(conn);
        cmds.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        cmds.BatchCommands.Add(OrderBatchWriter.Command(InstrumentLock.Sql, CertificateType.Parse(certificate).LockKey));
        cmds.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchReader.CandidatesSql, book));
        var users = batch.Select(p => p.UserId).Distinct().ToArray();
        cmds.BatchCommands.Add(OrderBatchWriter.Command(TraderLookup.Sql, users, Roles.Funded));
        cmds.BatchCommands.Add(OrderBatchWriter.Command(OrderBatchReader.BalancesSql, [.. book, Array.Empty<Guid>(), users]));
        cmds.BatchCommands.Add(ReservedIds.Command(batch.Count, batch.Count)); // every order of the workload is for 1

        await using var r = await cmds.ExecuteReaderAsync();
        await r.NextResultAsync(); // past the lock's row
        while (await r.ReadAsync())
        {
            // OrderBatchReader's column list (BatchTables.Orders): id, holder_id, market_maker_id, certificate_type, side,
            // order_type, price, quantity, filled_quantity, status, ticket_id, cancel_reason, created_at, updated_at, sequence.
            var buy = r.GetString(4) == "BUY";
            var filled = r.GetInt64(8);
            var status = r.GetString(9);
            (buy ? bids : asks).Add(new RawOrder
            {
                Id = r.GetGuid(0),
                HolderId = r.GetGuid(1),
                MarketMakerId = r.IsDBNull(2) ? null : r.GetGuid(2),
                Buy = buy,
                Price = r.GetDecimal(6),
                Quantity = r.GetInt64(7),
                Filled = filled,
                Status = status,
                Loaded = (filled, status),
                TicketId = r.GetString(10),
                Sequence = r.GetInt64(14),
                CreatedAt = r.GetFieldValue<DateTimeOffset>(12),
                UpdatedAt = r.GetFieldValue<DateTimeOffset>(13),
            });
        }

        await r.NextResultAsync();
        var entities = new Dictionary<Guid, Guid>();
        while (await r.ReadAsync())
        {
            // TraderLookup.Sql: user id, entity id, FUNDED. The workload's traders all may trade.
            if (!r.GetBoolean(2) || r.IsDBNull(1))
            {
                throw new InvalidOperationException($"User {r.GetGuid(0)} may not trade.");
            }

            entities[r.GetGuid(0)] = r.GetGuid(1);
        }

        if (batch.FirstOrDefault(p => entities.GetValueOrDefault(p.UserId) != p.HolderId) is { } stranger)
        {
            throw new InvalidOperationException($"User {stranger.UserId} does not trade for {stranger.HolderId}.");
        }

        await r.NextResultAsync();
        while (await r.ReadAsync())
        {
            // holder_id, asset, available, locked, updated_at; rows that do not exist stay absent.
            balances[(r.GetGuid(0), r.GetString(1))] = new RawBalance(r.GetDecimal(2), r.GetDecimal(3)) { UpdatedAt = r.GetFieldValue<DateTimeOffset>(4) };
        }

        await r.NextResultAsync();
        return await ReservedIds.ReadAsync(r);
    }

    /// <summary>
    /// A fill may credit an asset its receiver never held: create those rows, then lock them (as BatchState.EnsureAsync,
    /// two extra round trips the bench's funded traders only take on their first buy).
    /// </summary>
    public static async Task EnsureAsync(
        NpgsqlConnection conn, DateTimeOffset now, IEnumerable<(Guid HolderId, string Asset)> keys, Dictionary<(Guid HolderId, string Asset), RawBalance> balances)
    {
        var missing = keys.Where(k => !balances.ContainsKey(k)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await using (var cmd = new NpgsqlCommand(CreateMissingSql, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.HolderId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.Asset).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var cmd = new NpgsqlCommand(LockSql, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.HolderId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing.Select(k => k.Asset).ToArray() });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var key = (r.GetGuid(r.GetOrdinal("holder_id")), r.GetString(r.GetOrdinal("asset")));
                balances[key] = new RawBalance(r.GetDecimal(r.GetOrdinal("available")), r.GetDecimal(r.GetOrdinal("locked")));
            }
        }
    }
}
