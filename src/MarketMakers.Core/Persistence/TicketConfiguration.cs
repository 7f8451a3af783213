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
        // The list order and the as_of cursor. Every index that a search walks in list order carries the columns of
        // the other filters, so that a combined filter is checked in the index (an index-only walk) instead of in the
        // wide heap rows: a walk of the newest 20,000 entries of the leading filter then costs a few milliseconds
        // (ADR 0007, issue 18).
        b.HasIndex(t => new { t.Year, t.Number }).IsUnique()
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.ActionType, t.Status, t.EntityType, t.MarketMakerId, t.UserId });
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
        // filtered, newest-first page is an ordered index range read with no sort (ADR 0007), and INCLUDEs the other
        // filters' columns for the combined searches of TicketCombinedSearch.
        b.HasIndex(t => new { t.UserId, t.Year, t.Number })
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.ActionType, t.Status, t.EntityType, t.MarketMakerId });
        // Four tickets in five concern no Market Maker: they would only make the index bigger.
        b.HasIndex(t => new { t.MarketMakerId, t.Year, t.Number }).HasFilter("market_maker_id IS NOT NULL")
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.ActionType, t.Status, t.EntityType, t.UserId });
        b.HasIndex(t => new { t.ActionType, t.Year, t.Number })
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.Status, t.EntityType, t.MarketMakerId, t.UserId });
        b.HasIndex(t => new { t.Status, t.Year, t.Number })
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.ActionType, t.EntityType, t.MarketMakerId, t.UserId });
        // Entity type and entity id each lead their own index: an id is searched without its type too, and a
        // (type, id) index cannot serve an id alone (no skip scan before PostgreSQL 18). With both, an id is so
        // selective that its index serves the (type, id) pair as well (ADR 0007).
        b.HasIndex(t => new { t.EntityType, t.Year, t.Number })
            .IncludeProperties(t => new { t.Tags, t.Timestamp, t.ActionType, t.Status, t.MarketMakerId, t.UserId });
        b.HasIndex(t => new { t.EntityId, t.Year, t.Number });
        // One GIN index over every equality filter and the tags (btree_gin): a combination that matches few tickets
        // is an intersection of compressed posting lists, which skips through the larger lists instead of reading
        // them, so "TRADE_EXECUTED and FAILED" proves it matches nothing in milliseconds. It also serves the tag
        // filters alone, which the former GIN index on tags did.
        b.HasIndex(t => new { t.ActionType, t.EntityType, t.Status, t.MarketMakerId, t.UserId, t.Tags }).HasDatabaseName("ix_ticket_logs_filters")
            .HasMethod("gin");
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
