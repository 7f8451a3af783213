using Npgsql;

namespace MarketMakers.Core.Audit.Sealing;

public sealed record ChainVerification(bool Intact, long VerifiedTickets, string? FirstBrokenTicketId, string? Reason, long UnsealedTickets);

/// <summary>
/// Recomputes the audit chain from the stored tickets, streaming, and reports the first sealed ticket that no
/// longer matches: edited (its digest differs), deleted (its seal has no ticket), or a tampered seal (the chain
/// hash does not follow).
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource dataSource)
{
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var unsealed = await CountUnsealedAsync(conn, tx, cancellationToken);
        var columns = TicketCanonicalForm.Columns.Replace("ticket_id,", "t.ticket_id,", StringComparison.Ordinal);
        await using var cmd = new NpgsqlCommand($"""
            SELECT s.seq, s.ticket_id, s.ticket_digest, s.chain_hash, {columns}
            FROM ticket_seals s LEFT JOIN ticket_logs t ON t.ticket_id = s.ticket_id
            ORDER BY s.seq
            """, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var previous = TicketCanonicalForm.GenesisHash;
        long verified = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var ticketId = reader.GetString(1);
            var storedDigest = reader.GetString(2);
            var storedChain = reader.GetString(3);
            string? reason = null;
            if (reader.IsDBNull(4))
            {
                reason = "the sealed ticket has been deleted";
            }
            else if (TicketCanonicalForm.Digest(reader, 4) != storedDigest)
            {
                reason = "the ticket's content no longer matches its seal";
            }
            else if (TicketCanonicalForm.Chain(previous, storedDigest) != storedChain)
            {
                reason = "the seal chain has been altered";
            }

            if (reason is not null)
            {
                return new ChainVerification(false, verified, ticketId, reason, unsealed);
            }

            previous = storedChain;
            verified++;
        }

        return new ChainVerification(true, verified, null, null, unsealed);
    }

    private static async Task<long> CountUnsealedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM ticket_seal_queue", conn, tx);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
