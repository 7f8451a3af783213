using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Audit.Checkpoints;

/// <summary>
/// A signed statement "the audit chain's head was <see cref="Digest"/> at ticket <see cref="LastTicketId"/>, at
/// <see cref="SignedAt"/>", made with a key the database never sees. Someone who rewrites tickets and recomputes every
/// later seal still cannot make a chain that matches an earlier checkpoint (ADR 0006, "Checkpoints"). Append-only.
/// </summary>
public sealed class AuditCheckpoint
{
    private AuditCheckpoint()
    {
    }

    public long Id { get; private set; }

    /// <summary>The chain position signed; used to tell whether the chain moved since, never exported or trusted.</summary>
    public long Seq { get; private set; }

    public string LastTicketId { get; private set; } = "";

    /// <summary>The chain hash of the seal of <see cref="LastTicketId"/> (64 lower-case hex digits).</summary>
    public string Digest { get; private set; } = "";

    public DateTimeOffset SignedAt { get; private set; }

    /// <summary>ECDSA P-256 over SHA-256 of <see cref="CheckpointStatement"/>, DER-encoded (as <c>openssl dgst</c> writes it).</summary>
    public byte[] Signature { get; private set; } = [];

    public string KeyId { get; private set; } = "";

    internal static AuditCheckpoint Create(long seq, string lastTicketId, string digest, DateTimeOffset signedAt, byte[] signature, string keyId) =>
        new() { Seq = seq, LastTicketId = lastTicketId, Digest = digest, SignedAt = signedAt, Signature = signature, KeyId = keyId };
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> b)
    {
        b.ToTable("audit_checkpoints");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).UseIdentityAlwaysColumn();
        b.Property(c => c.LastTicketId).HasMaxLength(32);
        b.Property(c => c.Digest).HasMaxLength(64);
        b.Property(c => c.KeyId).HasMaxLength(32);
    }
}
