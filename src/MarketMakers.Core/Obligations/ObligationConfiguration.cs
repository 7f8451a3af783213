using MarketMakers.Core.Identity;
using MarketMakers.Core.MarketMaking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Obligations;

internal sealed class ObligationConfiguration : IEntityTypeConfiguration<Obligation>
{
    public void Configure(EntityTypeBuilder<Obligation> b)
    {
        b.ToTable("obligations", t =>
        {
            t.HasCheckConstraint("ck_obligations_terms", "max_spread > 0 AND min_quantity >= 1 AND min_presence_pct > 0 AND min_presence_pct <= 100");
            t.HasCheckConstraint("ck_obligations_certificate_type", "certificate_type IN ('CEA', 'EUA')");
        });
        b.HasKey(x => new { x.MarketMakerId, x.CertificateType });
        b.Property(x => x.CertificateType).HasMaxLength(8);
        b.Property(x => x.MaxSpread).HasPrecision(12, 2);
        b.Property(x => x.MinPresencePct).HasPrecision(5, 2);
        b.Ignore(x => x.Terms);
        // The sampler's driving scan: only active obligations are sampled.
        b.HasIndex(x => x.MarketMakerId).HasDatabaseName("ix_obligations_active").HasFilter("active");
        b.HasOne<MarketMaker>().WithMany().HasForeignKey(x => x.MarketMakerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UpdatedBy).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ObligationSampleConfiguration : IEntityTypeConfiguration<ObligationSample>
{
    public void Configure(EntityTypeBuilder<ObligationSample> b)
    {
        b.ToTable("obligation_samples", t =>
            t.HasCheckConstraint("ck_obligation_samples_quantities", "bid_quantity >= 0 AND ask_quantity >= 0"));
        // One sample per obligation and slot: the key is what makes a slot sampled once across instances, even when
        // two samplers run the same slot (the second insert does nothing). It also serves the compliance range scan.
        b.HasKey(x => new { x.MarketMakerId, x.CertificateType, x.SampledAt });
        b.Property(x => x.CertificateType).HasMaxLength(8);
        b.Property(x => x.BestBid).HasPrecision(12, 2);
        b.Property(x => x.BestAsk).HasPrecision(12, 2);
        b.Property(x => x.Spread).HasPrecision(12, 2);
        b.Property(x => x.MaxSpread).HasPrecision(12, 2);
        b.HasOne<Obligation>().WithMany().HasForeignKey(x => new { x.MarketMakerId, x.CertificateType }).OnDelete(DeleteBehavior.Restrict);
    }
}
