using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Orders;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders", t =>
        {
            t.HasCheckConstraint("ck_orders_quantity", "quantity > 0");
            t.HasCheckConstraint("ck_orders_filled", "filled_quantity >= 0 AND filled_quantity <= quantity");
            t.HasCheckConstraint("ck_orders_price", "price > 0");
            t.HasCheckConstraint("ck_orders_side", "side IN ('BUY', 'SELL')");
            t.HasCheckConstraint("ck_orders_type", "order_type = 'LIMIT'");
            t.HasCheckConstraint("ck_orders_certificate_type", "certificate_type IN ('CEA', 'EUA')");
            t.HasCheckConstraint("ck_orders_status", "status IN ('OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED')");
        });
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.CertificateType).HasMaxLength(8);
        b.Property(o => o.Side).HasMaxLength(4);
        b.Property(o => o.OrderType).HasMaxLength(8);
        b.Property(o => o.Price).HasPrecision(12, 2);
        b.Property(o => o.Status).HasMaxLength(16);
        b.Property(o => o.TicketId).HasMaxLength(32);
        b.Property(o => o.CancelReason).HasColumnType("text");
        b.Property(o => o.Sequence).UseIdentityAlwaysColumn();
        b.Property(o => o.Sequence).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        b.Ignore(o => o.RemainingQuantity);
        b.Ignore(o => o.IsOpen);
        b.Ignore(o => o.IsBuy);
        b.Ignore(o => o.LockedAsset);
        b.Ignore(o => o.RemainingLock);
        b.HasIndex(o => new { o.CertificateType, o.Side, o.Price, o.Sequence })
            .HasDatabaseName("ix_orders_open_book")
            .HasFilter("status IN ('OPEN', 'PARTIALLY_FILLED')");
        b.HasIndex(o => new { o.MarketMakerId, o.CreatedAt });
        // One MM's own open book per instrument and side, best price first: the obligation sampler seeks its best bid
        // and ask here (one seek per obligation and side) instead of walking every holder's orders on the book.
        b.HasIndex(o => new { o.MarketMakerId, o.CertificateType, o.Side, o.Price })
            .HasDatabaseName("ix_orders_mm_open_book")
            .HasFilter("status IN ('OPEN', 'PARTIALLY_FILLED') AND market_maker_id IS NOT NULL");
        b.HasIndex(o => new { o.HolderId, o.CreatedAt });
        b.HasIndex(o => o.Sequence).IsUnique();
        b.HasOne<Holder>().WithMany().HasForeignKey(o => o.HolderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MarketMaker>().WithMany().HasForeignKey(o => o.MarketMakerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CashMarketTradeConfiguration : IEntityTypeConfiguration<CashMarketTrade>
{
    public void Configure(EntityTypeBuilder<CashMarketTrade> b)
    {
        b.ToTable("cash_market_trades", t =>
        {
            t.HasCheckConstraint("ck_trades_quantity", "quantity > 0");
            t.HasCheckConstraint("ck_trades_price", "price > 0");
            t.HasCheckConstraint("ck_trades_parties", "buyer_holder_id <> seller_holder_id");
        });
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Sequence).UseIdentityAlwaysColumn();
        b.Property(t => t.Sequence).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        b.Property(t => t.CertificateType).HasMaxLength(8);
        b.Property(t => t.Price).HasPrecision(12, 2);
        b.Property(t => t.TicketId).HasMaxLength(32);
        b.HasIndex(t => new { t.CertificateType, t.ExecutedAt }).IsDescending(false, true);
        b.HasIndex(t => new { t.BuyerHolderId, t.ExecutedAt });
        b.HasIndex(t => new { t.SellerHolderId, t.ExecutedAt });
        b.HasIndex(t => new { t.MarketMakerId, t.ExecutedAt });
        b.HasIndex(t => t.BuyOrderId);
        b.HasIndex(t => t.SellOrderId);
        b.HasOne<Order>().WithMany().HasForeignKey(t => t.BuyOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(t => t.SellOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Holder>().WithMany().HasForeignKey(t => t.BuyerHolderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Holder>().WithMany().HasForeignKey(t => t.SellerHolderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MarketMaker>().WithMany().HasForeignKey(t => t.MarketMakerId).OnDelete(DeleteBehavior.Restrict);
    }
}
