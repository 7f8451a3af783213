using MarketMakers.Core.Audit.Checkpoints;
using MarketMakers.Core.Audit.Sealing;
using Npgsql;

namespace MarketMakers.AuditVerify;

public sealed record VerifyReport(bool Intact, string Message);

/// <summary>
/// Checks every checkpoint's signature against the given public keys, then recomputes the chain from the tickets
/// themselves, in the seals' order, ignoring the digests and chain hashes stored beside them: whoever can rewrite a
/// ticket can rewrite those too, but cannot sign. At each checkpoint's ticket, the recomputed chain must equal the
/// signed digest. A mismatch names the checkpoint, and the span of tickets (after the last checkpoint that held) that
/// was changed, removed or reordered.
/// </summary>
public sealed class CheckpointVerifier(string connectionString)
{
    public async Task<VerifyReport> VerifyAsync(IReadOnlyList<CheckpointView> checkpoints, IReadOnlyList<CheckpointKey> keys, CancellationToken ct = default)
    {
        if (checkpoints.Count == 0)
        {
            return new VerifyReport(false, "NOT VERIFIED: the checkpoints file is empty; nothing proves the chain.");
        }

        var ordered = checkpoints.OrderBy(c => c.SignedAt).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (SignatureProblem(ordered[i], keys) is { } problem)
            {
                return Bad(ordered[i], problem);
            }
        }

        var pending = ordered.GroupBy(c => c.LastTicketId).ToDictionary(g => g.Key, g => g.ToList());
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var columns = TicketCanonicalForm.Columns.Replace("ticket_id,", "t.ticket_id,", StringComparison.Ordinal);
        await using var cmd = new NpgsqlCommand($"""
            SELECT s.seq, s.ticket_id, s.ticket_digest, s.chain_hash, {columns}
            FROM ticket_seals s LEFT JOIN ticket_logs t ON t.ticket_id = s.ticket_id
            ORDER BY s.seq
            """, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);

        string? chain = TicketCanonicalForm.GenesisHash;
        string? lastGood = null;
        string? localProblem = null;
        long sealedSinceGood = 0;
        var verified = 0;
        while (await reader.ReadAsync(ct))
        {
            var ticketId = reader.GetString(1);
            if (reader.IsDBNull(4))
            {
                // The chain cannot be recomputed past a deleted ticket: every later checkpoint fails, naming it.
                chain = null;
                localProblem ??= $"ticket {ticketId} (chain position {reader.GetInt64(0)}) has been deleted";
            }
            else if (chain is not null)
            {
                var digest = TicketCanonicalForm.Digest(reader, 4);
                if (digest != reader.GetString(2))
                {
                    localProblem ??= $"ticket {ticketId} no longer matches its stored seal";
                }

                chain = TicketCanonicalForm.Chain(chain, digest);
            }

            sealedSinceGood++;
            if (!pending.Remove(ticketId, out var here))
            {
                continue;
            }

            foreach (var checkpoint in here)
            {
                if (chain != checkpoint.Digest)
                {
                    var span = lastGood is null ? $"up to {ticketId}" : $"after {lastGood} (the last checkpoint that holds) up to {ticketId}";
                    return Bad(checkpoint, $"the database's chain at {ticketId} is {chain ?? "not computable"}, the signed digest is {checkpoint.Digest}: "
                        + $"a ticket sealed {span} was changed, removed or reordered" + (localProblem is null ? "" : $"; first sign in the database: {localProblem}") + ".");
                }

                verified++;
            }

            lastGood = ticketId;
            sealedSinceGood = 0;
            localProblem = null;
        }

        if (pending.Count > 0)
        {
            var missing = ordered.First(c => pending.ContainsKey(c.LastTicketId));
            return Bad(missing, $"ticket {missing.LastTicketId} is not in the database's chain (its seal was deleted, or the chain rewritten or truncated).");
        }

        if (localProblem is not null)
        {
            return new VerifyReport(false, $"TAMPERED after the last checkpoint ({lastGood}): {localProblem}.");
        }

        var latest = ordered[^1];
        return new VerifyReport(true,
            $"INTACT: {verified} checkpoint(s) verified, the database's chain matches every signed head; the latest is {latest.LastTicketId} "
            + $"signed {CheckpointStatement.Time(latest.SignedAt)} by key {latest.KeyId}; {sealedSinceGood} ticket(s) sealed after it are not yet covered by a signature.");
    }

    private static string? SignatureProblem(CheckpointView checkpoint, IReadOnlyList<CheckpointKey> keys)
    {
        if (keys.FirstOrDefault(k => k.KeyId == checkpoint.KeyId) is not { } key)
        {
            return $"it names key {checkpoint.KeyId}, and no --public-key given has that id ({string.Join(", ", keys.Select(k => k.KeyId))}).";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature ?? "");
        }
        catch (FormatException)
        {
            return "its signature is not base64.";
        }

        return key.Verify(CheckpointStatement.Bytes(checkpoint.LastTicketId, checkpoint.Digest, checkpoint.SignedAt), signature)
            ? null
            : "its signature does not verify with that key: the checkpoint was forged or altered.";
    }

    private static VerifyReport Bad(CheckpointView c, string problem) =>
        new(false, $"TAMPERED at checkpoint {c.LastTicketId} signed {CheckpointStatement.Time(c.SignedAt)} (key {c.KeyId}): {problem}");
}
