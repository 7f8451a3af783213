using MarketMakers.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Risk;

internal sealed class MarketConfiguration : IEntityTypeConfiguration<Market>
{
    public void Configure(EntityTypeBuilder<Market> b)
    {
        b.ToTable("markets", t =>
        {
            t.HasCheckConstraint("ck_markets_state", "state IN ('OPEN','HALTED')");
            t.HasCheckConstraint("ck_markets_limits",
                "(price_collar_pct IS NULL OR (price_collar_pct > 0 AND price_collar_pct <= 100)) AND max_order_quantity > 0 AND max_order_notional > 0 AND (reference_price IS NULL OR reference_price > 0)");
        });
        b.HasKey(x => x.CertificateType);
        b.Property(x => x.CertificateType).HasMaxLength(8);
        b.Property(x => x.State).HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.PriceCollarPct).HasPrecision(5, 2);
        b.Property(x => x.ReferencePrice).HasPrecision(12, 2);
        b.Property(x => x.MaxOrderNotional).HasPrecision(20, 2);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ChangedBy).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.Limits);
        b.Ignore(x => x.IsHalted);
    }
}
