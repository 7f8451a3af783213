using MarketMakers.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Ledger;

internal sealed class HolderConfiguration : IEntityTypeConfiguration<Holder>
{
    public void Configure(EntityTypeBuilder<Holder> b)
    {
        b.ToTable("holders", t => t.HasCheckConstraint("ck_holders_kind", "kind IN ('MARKET_MAKER', 'CLIENT_ENTITY')"));
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.Kind).HasMaxLength(16);
        b.Property(h => h.Name).HasMaxLength(200);
    }
}

internal sealed class BalanceConfiguration : IEntityTypeConfiguration<Balance>
{
    public void Configure(EntityTypeBuilder<Balance> b)
    {
        b.ToTable("balances", t =>
        {
            t.HasCheckConstraint("ck_balances_non_negative", "available >= 0 AND locked >= 0");
            t.HasCheckConstraint("ck_balances_asset", "asset IN ('CEA', 'EUA', 'EUR')");
        });
        b.HasKey(x => new { x.HolderId, x.Asset });
        b.Property(x => x.Asset).HasMaxLength(8);
        b.Property(x => x.Available).HasPrecision(20, 2);
        b.Property(x => x.Locked).HasPrecision(20, 2);
        b.Ignore(x => x.Total);
        b.HasOne<Holder>().WithMany().HasForeignKey(x => x.HolderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AssetTransactionConfiguration : IEntityTypeConfiguration<AssetTransaction>
{
    public void Configure(EntityTypeBuilder<AssetTransaction> b)
    {
        b.ToTable("asset_transactions", t =>
        {
            t.HasCheckConstraint("ck_asset_transactions_asset", "asset IN ('CEA', 'EUA', 'EUR')");
            t.HasCheckConstraint(
                "ck_asset_transactions_type", "transaction_type IN ('DEPOSIT', 'WITHDRAWAL', 'TRADE_DEBIT', 'TRADE_CREDIT')");
            t.HasCheckConstraint("ck_asset_transactions_balance_after", "balance_after >= 0");
        });
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.TicketId).HasMaxLength(32);
        b.Property(x => x.Asset).HasMaxLength(8);
        b.Property(x => x.TransactionType).HasMaxLength(16);
        b.Property(x => x.Amount).HasPrecision(20, 2);
        b.Property(x => x.BalanceAfter).HasPrecision(20, 2);
        b.Property(x => x.Notes).HasMaxLength(1000);
        b.HasIndex(x => new { x.HolderId, x.Asset, x.Id }).IsDescending(false, false, true);
        b.HasIndex(x => x.TicketId);
        b.HasOne<Holder>().WithMany().HasForeignKey(x => x.HolderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.CreatedBy).OnDelete(DeleteBehavior.Restrict);
    }
}
