using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Idempotency;

/// <summary>
/// A client-chosen <c>Idempotency-Key</c> of a money-moving command and the response its one committed effect
/// produced. The row is inserted and completed in the same transaction as the effect and its SUCCESS ticket,
/// so a key is never stored without its effect, nor an effect without its key. See
/// docs/decisions/0008-idempotency.md.
/// </summary>
public sealed class IdempotencyKey
{
    /// <summary>Whose key it is: the acting user's id (keys of different users never collide).</summary>
    public string Scope { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>SHA-256 (hex) of method, path and body: the same key with another request is a conflict.</summary>
    public string RequestHash { get; set; } = "";

    public int StatusCode { get; set; }

    public string ResponseBody { get; set; } = "";

    public string? TicketId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> b)
    {
        b.ToTable("idempotency_keys");
        b.HasKey(k => new { k.Scope, k.Key });
        b.Property(k => k.Scope).HasMaxLength(64);
        b.Property(k => k.Key).HasMaxLength(IdempotencyRequest.MaxKeyLength);
        b.Property(k => k.RequestHash).HasMaxLength(64);
        b.Property(k => k.ResponseBody).HasColumnType("text");
        b.Property(k => k.TicketId).HasMaxLength(32);
        b.HasIndex(k => k.CreatedAt);
    }
}
