using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MarketMakers.Core.Audit.Checkpoints;

public sealed class CheckpointOptions
{
    /// <summary>The PEM file with the ECDSA P-256 private key; kept outside the database. Unset: no checkpoints.</summary>
    public string? CheckpointKeyPath { get; set; }

    /// <summary>
    /// The least time between two checkpoints of a moving chain. Under load the sealer runs several passes a second, and a
    /// checkpoint per pass would add a row (and a signature) per pass; 0 signs after every pass that advanced the chain.
    /// </summary>
    public double CheckpointMinSeconds { get; set; } = 1;

    /// <summary>The most time between two checkpoints: the head is signed again even when the chain stood still.</summary>
    public double CheckpointMaxSeconds { get; set; } = 60;
}

/// <summary>
/// Signs the chain head from inside the sealer's pass, so it runs under the sealer's advisory lock (once across
/// instances) and its row commits with the seals it covers. A checkpoint is due when the chain moved since the last
/// one and <see cref="CheckpointOptions.CheckpointMinSeconds"/> passed, or when
/// <see cref="CheckpointOptions.CheckpointMaxSeconds"/> passed anyway. The last checkpoint is remembered in memory so a
/// pass that owes none costs no round trip; before signing it is read back, in case another instance signed since.
/// </summary>
public sealed class AuditCheckpointer : IDisposable
{
    private readonly CheckpointKey? _key;
    private readonly CheckpointOptions _options;
    private readonly TimeProvider _clock;
    private (long Seq, DateTimeOffset At)? _last;

    public AuditCheckpointer(IOptions<CheckpointOptions> options, TimeProvider clock, ILogger<AuditCheckpointer> logger)
    {
        _options = options.Value;
        _clock = clock;
        // A configured key that cannot be read fails start-up (the sealer is built when the app starts): an operator
        // who asked for signed checkpoints must not run without them unknowingly.
        if (_options.CheckpointKeyPath is { Length: > 0 } path)
        {
            _key = CheckpointKey.Load(path);
            if (!_key.HasPrivateKey)
            {
                throw new InvalidOperationException($"Audit checkpoint key file '{path}' holds no private key.");
            }
        }
        else
        {
            logger.LogWarning("Audit:CheckpointKeyPath is not set: the audit chain is sealed but its head is not signed");
        }
    }

    /// <summary>The signing key's public half, or null when checkpoints are off.</summary>
    public CheckpointKey? Key => _key;

    /// <summary>Signs and stores the head when a checkpoint is due. Runs in the sealer's transaction, under its lock.</summary>
    public async Task<bool> CheckpointAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long seq, string? lastTicketId, string digest, CancellationToken ct)
    {
        if (_key is null || lastTicketId is null || !Due(seq))
        {
            return false;
        }

        await using (var read = new NpgsqlCommand("SELECT seq, signed_at FROM audit_checkpoints ORDER BY id DESC LIMIT 1", conn, tx))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            _last = await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
        }

        if (!Due(seq))
        {
            return false;
        }

        var at = CheckpointStatement.ToMicroseconds(_clock.GetUtcNow());
        var signature = _key.Sign(CheckpointStatement.Bytes(lastTicketId, digest, at));
        await using var insert = new NpgsqlCommand("""
            INSERT INTO audit_checkpoints (seq, last_ticket_id, digest, signed_at, signature, key_id)
            VALUES (@seq, @ticket, @digest, @at, @signature, @key)
            """, conn, tx);
        insert.Parameters.AddWithValue("seq", seq);
        insert.Parameters.AddWithValue("ticket", lastTicketId);
        insert.Parameters.AddWithValue("digest", digest);
        insert.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, at);
        insert.Parameters.AddWithValue("signature", signature);
        insert.Parameters.AddWithValue("key", _key.KeyId);
        await insert.ExecuteNonQueryAsync(ct);
        // Remembered before the commit. Should the pass roll back, the chain's seq falls back below this one, so the next
        // pass finds a checkpoint due (after CheckpointMinSeconds) and reads the table again before signing.
        _last = (seq, at);
        return true;
    }

    private bool Due(long seq)
    {
        if (_last is not { } last)
        {
            return true;
        }

        var age = (_clock.GetUtcNow() - last.At).TotalSeconds;
        return (seq != last.Seq && age >= _options.CheckpointMinSeconds) || age >= _options.CheckpointMaxSeconds;
    }

    public void Dispose() => _key?.Dispose();
}
