using MarketMakers.Core.Audit.Checkpoints;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace MarketMakers.Core.Audit.Sealing;

/// <summary>
/// Appends committed tickets to the audit chain. A trigger queues every inserted ticket in
/// <c>ticket_seal_queue</c> inside the inserting transaction, so the sealer sees exactly the committed tickets,
/// however late they commit, and ticket writes pay only for that one tiny row. Each pass takes the queue in
/// ticket order, extends the chain from its head and empties what it sealed, in one transaction, under an
/// advisory lock so that one instance seals at a time. See docs/decisions/0006-audit-chain.md.
/// </summary>
public sealed class TicketSealer(NpgsqlDataSource dataSource, TimeProvider clock, AuditCheckpointer checkpointer, ILogger<TicketSealer> logger)
{
    private const long SealLockKey = 0x5345_414C_4348;

    /// <summary>Tickets sealed per pass at most; a pass that fills up means a backlog remains.</summary>
    public const int PassSize = 5000;

    public async Task<int> SealPendingAsync(int maxBatch = PassSize, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        // Seals are derived from committed tickets, and the queue rows leave in the same transaction: a pass lost to a
        // crash before its WAL reached disk is lost whole and simply sealed again. So the pass need not wait for its own
        // flush, and order batches need not queue behind it (ADR 0006). Any later synchronous commit flushes it anyway.
        // The setting rides in the lock's statement: one round trip, not two.
        if (!await ScalarAsync<bool>(conn, tx,
                $"SELECT pg_try_advisory_xact_lock({SealLockKey}) FROM set_config('synchronous_commit', 'off', true)", cancellationToken))
        {
            return 0;
        }

        var (seq, headTicketId, head) = await HeadAsync(conn, tx, cancellationToken);
        var done = new List<string>();
        var seals = new List<(long Seq, string TicketId, string Digest, string Chain)>();
        var vanished = 0;
        // The queue is read in ticket order and each ticket fetched by its key: a plain join let the planner, with the
        // queue's statistics stale under constant churn, hash-join against a scan of the whole audit log.
        await using (var cmd = new NpgsqlCommand($"""
            SELECT q.ticket_id, t.ticket_id, t.digest
            FROM (SELECT ticket_id FROM ticket_seal_queue
                  ORDER BY substr(ticket_id, 5, 4), length(ticket_id), ticket_id LIMIT @max) q
            LEFT JOIN LATERAL (SELECT ticket_id, {TicketCanonicalForm.DigestSql} AS digest, year, number
                               FROM ticket_logs WHERE ticket_id = q.ticket_id LIMIT 1) t ON true
            ORDER BY t.year, t.number
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("max", maxBatch);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                done.Add(reader.GetString(0));
                if (reader.IsDBNull(1))
                {
                    // Queued by its insert, gone before it was sealed: verification reports the gap.
                    vanished++;
                    continue;
                }

                var digest = reader.GetString(2);
                head = TicketCanonicalForm.Chain(head, digest);
                headTicketId = reader.GetString(1);
                seals.Add((++seq, headTicketId, digest, head));
            }
        }

        if (seals.Count > 0)
        {
            await InsertSealsAsync(conn, seals, cancellationToken);
        }

        if (done.Count > 0)
        {
            await using var dequeue = new NpgsqlCommand("DELETE FROM ticket_seal_queue WHERE ticket_id = ANY(@ids)", conn, tx);
            dequeue.Parameters.AddWithValue("ids", done.ToArray());
            await dequeue.ExecuteNonQueryAsync(cancellationToken);
        }

        if (vanished > 0)
        {
            logger.LogWarning("{Count} queued tickets vanished before sealing", vanished);
        }

        // Signed under this pass's lock and committed with its seals: one signer across instances (ADR 0006).
        await checkpointer.CheckpointAsync(conn, tx, seq, headTicketId, head, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return seals.Count;
    }

    private static async Task<(long Seq, string? TicketId, string Hash)> HeadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT seq, ticket_id, chain_hash FROM ticket_seals ORDER BY seq DESC LIMIT 1", conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : (0, null, TicketCanonicalForm.GenesisHash);
    }

    private async Task InsertSealsAsync(NpgsqlConnection conn, List<(long Seq, string TicketId, string Digest, string Chain)> seals, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var importer = await conn.BeginBinaryImportAsync(
            "COPY ticket_seals (seq, ticket_id, ticket_digest, chain_hash, sealed_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var s in seals)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(s.Seq, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(s.TicketId, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(s.Digest, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(s.Chain, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
        }

        await importer.CompleteAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
