using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Persistence;

public sealed class MarketMakersDbContext(DbContextOptions<MarketMakersDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<TicketCounter> TicketCounters => Set<TicketCounter>();

    public DbSet<Audit.Sealing.TicketSeal> TicketSeals => Set<Audit.Sealing.TicketSeal>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Holder> Holders => Set<Holder>();

    public DbSet<Balance> Balances => Set<Balance>();

    public DbSet<AssetTransaction> AssetTransactions => Set<AssetTransaction>();

    public DbSet<MarketMaker> MarketMakers => Set<MarketMaker>();

    public DbSet<ClientEntity> ClientEntities => Set<ClientEntity>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<CashMarketTrade> CashMarketTrades => Set<CashMarketTrade>();

    public DbSet<Idempotency.IdempotencyKey> IdempotencyKeys => Set<Idempotency.IdempotencyKey>();

    public DbSet<Approvals.MovementRequest> MovementRequests => Set<Approvals.MovementRequest>();

    public DbSet<RevokedSession> RevokedSessions => Set<RevokedSession>();

    public DbSet<Risk.Market> Markets => Set<Risk.Market>();

    public DbSet<Obligations.Obligation> Obligations => Set<Obligations.Obligation>();

    public DbSet<Obligations.ObligationSample> ObligationSamples => Set<Obligations.ObligationSample>();

    /// <summary>Value types are stored as the codes the columns always held, so no data migration is needed.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<CertificateType>().HaveConversion<CodeConverter<CertificateType>>();
        configurationBuilder.Properties<OrderSide>().HaveConversion<CodeConverter<OrderSide>>();
        configurationBuilder.Properties<OrderStatus>().HaveConversion<CodeConverter<OrderStatus>>();
        configurationBuilder.Properties<Asset>().HaveConversion<CodeConverter<Asset>>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity names its tables in PascalCase explicitly, which the snake_case convention leaves alone.
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<AppUser>().Property(u => u.LastTwoFactorCodeHash).HasMaxLength(64);
        builder.Entity<AppRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        builder.ApplyConfigurationsFromAssembly(typeof(MarketMakersDbContext).Assembly);
    }
}
