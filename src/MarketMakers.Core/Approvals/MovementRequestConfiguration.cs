using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Approvals;

internal sealed class MovementRequestConfiguration : IEntityTypeConfiguration<MovementRequest>
{
    public void Configure(EntityTypeBuilder<MovementRequest> b)
    {
        b.ToTable("movement_requests", t =>
        {
            t.HasCheckConstraint("ck_movement_requests_amount_positive", "amount > 0");
            t.HasCheckConstraint("ck_movement_requests_status",
                "status IN ('PENDING','APPROVED','REJECTED','EXPIRED','FAILED')");
            t.HasCheckConstraint("ck_movement_requests_type", "transaction_type IN ('DEPOSIT','WITHDRAWAL')");
        });
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Asset).HasMaxLength(8);
        b.Property(x => x.TransactionType).HasMaxLength(16);
        b.Property(x => x.Amount).HasPrecision(20, 2);
        b.Property(x => x.Notes).HasMaxLength(500);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.RequestTicketId).HasMaxLength(32);
        b.Property(x => x.DecisionTicketId).HasMaxLength(32);
        b.HasOne<Holder>().WithMany().HasForeignKey(x => x.HolderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.RequestedBy).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.DecidedBy).OnDelete(DeleteBehavior.Restrict);
        // The queue (newest first per status) and the expiry sweep (pending by deadline).
        b.HasIndex(x => new { x.Status, x.RequestedAt });
        b.HasIndex(x => x.ExpiresAt).HasFilter("status = 'PENDING'");
    }
}
