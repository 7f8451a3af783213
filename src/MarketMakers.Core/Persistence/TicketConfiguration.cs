using MarketMakers.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Persistence;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.ToTable("ticket_logs");
        b.HasKey(t => t.TicketId);
        b.Property(t => t.TicketId).HasMaxLength(32);
        // The list order and the as_of cursor. It carries the tags so that a capped count of a common tag is an
        // index-only read of the narrow index instead of a read of the wide rows (ADR 0007).
        b.HasIndex(t => new { t.Year, t.Number }).IsUnique().IncludeProperties(t => t.Tags);
        b.Property(t => t.ActionType).HasMaxLength(64);
        b.Property(t => t.EntityType).HasMaxLength(64);
        b.Property(t => t.EntityId).HasMaxLength(64);
        b.Property(t => t.Status).HasMaxLength(16);
        b.Property(t => t.IpAddress).HasMaxLength(45);
        b.Property(t => t.UserAgent).HasMaxLength(512);
        b.Property(t => t.SessionId).HasMaxLength(64);
        b.Property(t => t.RequestPayload).HasColumnType("jsonb");
        b.Property(t => t.ResponseData).HasColumnType("jsonb");
        b.Property(t => t.BeforeState).HasColumnType("jsonb");
        b.Property(t => t.AfterState).HasColumnType("jsonb");
        b.HasIndex(t => t.Timestamp);
        // Each equality filter of TicketQueries leads an index that ends in the list order (year, number), so a
        // filtered, newest-first page is an ordered index range read with no sort (ADR 0007).
        b.HasIndex(t => new { t.UserId, t.Year, t.Number });
        b.HasIndex(t => new { t.MarketMakerId, t.Year, t.Number });
        b.HasIndex(t => new { t.ActionType, t.Year, t.Number });
        b.HasIndex(t => new { t.Status, t.Year, t.Number });
        // Entity type and entity id each lead their own index: an id is searched without its type too, and a
        // (type, id) index cannot serve an id alone (no skip scan before PostgreSQL 18). With both, an id is so
        // selective that its index serves the (type, id) pair as well (ADR 0007).
        b.HasIndex(t => new { t.EntityType, t.Year, t.Number });
        b.HasIndex(t => new { t.EntityId, t.Year, t.Number });
        b.HasIndex(t => t.Tags).HasMethod("gin");
    }
}

/// <summary>The durable high-water mark of ticket numbers per year; see <see cref="TicketCounterStore"/>.</summary>
public sealed class TicketCounter
{
    public int Year { get; private set; }

    public long ReservedUpto { get; private set; }
}

internal sealed class TicketCounterConfiguration : IEntityTypeConfiguration<TicketCounter>
{
    public void Configure(EntityTypeBuilder<TicketCounter> b)
    {
        b.ToTable("ticket_counters");
        b.HasKey(c => c.Year);
        b.Property(c => c.Year).ValueGeneratedNever();
    }
}

internal sealed class TicketSealConfiguration : IEntityTypeConfiguration<Audit.Sealing.TicketSeal>
{
    public void Configure(EntityTypeBuilder<Audit.Sealing.TicketSeal> b)
    {
        b.ToTable("ticket_seals");
        b.HasKey(s => s.Seq);
        b.Property(s => s.Seq).ValueGeneratedNever();
        b.Property(s => s.TicketId).HasMaxLength(32);
        b.HasIndex(s => s.TicketId).IsUnique();
        b.Property(s => s.TicketDigest).HasMaxLength(64);
        b.Property(s => s.ChainHash).HasMaxLength(64);
    }
}
