using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Obligations;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace MarketMakers.Core;

public static class CoreServiceCollectionExtensions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Database=marketmakers;Username=postgres";
    public const string DefaultRedis = "127.0.0.1:56379";

    /// <summary>Registers persistence, the ticket counter, the audit runner and the domain services.</summary>
    public static IServiceCollection AddMarketMakersCore(this IServiceCollection services)
    {
        // Configuration is read when services resolve, not now, so hosts (and test factories) can still override it.
        services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            var postgres = config.GetConnectionString("Postgres") is { Length: > 0 } cs ? cs : DefaultPostgres;
            return new NpgsqlDataSourceBuilder(postgres).Build();
        });
        services.AddDbContextFactory<MarketMakersDbContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());

        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectRedis(sp.GetRequiredService<IConfiguration>()["Redis:Configuration"]));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TicketCounterOptions>().BindConfiguration("TicketCounter");
        services.AddSingleton<TicketCounterStore>();
        services.AddSingleton<ITicketIdAllocator, TicketIdAllocator>();
        services.TryAddScoped<IRequestContextAccessor>(_ => new FixedRequestContextAccessor(RequestContext.System));
        services.AddSingleton<TicketStore>();
        services.AddScoped<BusinessActionRunner>();
        services.AddSingleton<Idempotency.IdempotencyStore>();
        services.AddSingleton<FailureRecorder>();

        services.AddIdentityCore<AppUser>(o =>
        {
            o.User.RequireUniqueEmail = true;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        }).AddRoles<AppRole>()
            .AddTokenProvider<AuthenticatorTokenProvider<AppUser>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddSingleton<TwoFactorUserManagers>();
        services.AddScoped<TwoFactorEnrollment>();
        services.AddScoped<PasswordChangeService>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<StaffService>();
        services.AddOptions<SecurityOptions>().BindConfiguration("Security");
        services.AddOptions<Approvals.ApprovalOptions>().BindConfiguration("Approvals");
        // Session checks are cached per user and dropped through this on every instance (Redis pub/sub).
        services.AddSingleton<SessionCache>();
        services.TryAddSingleton<IUserSessionEvents>(sp => sp.GetRequiredService<SessionCache>());
        services.AddScoped<SignInService>();
        services.AddScoped<SignOutService>();
        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton<TicketQueries>();
        services.AddSingleton<TicketStatistics>();
        services.AddSingleton<TicketStatsCompactor>();
        services.AddOptions<Audit.Checkpoints.CheckpointOptions>().BindConfiguration("Audit");
        services.AddSingleton<Audit.Checkpoints.AuditCheckpointer>();
        services.AddSingleton<Audit.Checkpoints.CheckpointQueries>();
        services.AddSingleton<Audit.Sealing.TicketSealer>();
        services.AddSingleton<Audit.Sealing.AuditChainVerifier>();

        services.AddScoped<LedgerService>();
        services.AddScoped<Statements.StatementService>();
        services.AddScoped<Statements.PerformanceService>();
        services.AddScoped<ReconciliationService>();
        // Locked = what open orders hold; activity = orders and trades per MM (the orders tables).
        services.TryAddScoped<IExpectedLockedSource, OpenOrderLocks>();
        services.TryAddSingleton<IMarketMakerActivity, OrderMarketActivity>();
        services.AddScoped<MarketMakerService>();
        services.AddScoped<MarketMakerQueries>();

        services.AddOptions<OrderBookNotifierOptions>().BindConfiguration("OrderBook");
        services.AddSingleton<RedisOrderBookNotifier>();
        services.TryAddSingleton<IOrderBookNotifier>(sp => sp.GetRequiredService<RedisOrderBookNotifier>());
        services.AddOptions<OrderSequencerOptions>().BindConfiguration("OrderSequencer");
        services.AddSingleton<OrderBatchProcessor>();
        services.AddSingleton(sp => new OrderSequencer(
            sp.GetRequiredService<OrderBatchProcessor>(),
            sp.GetRequiredService<IOrderBookNotifier>(),
            sp.GetRequiredService<IOptions<OrderSequencerOptions>>(),
            sp.GetRequiredService<ILogger<OrderSequencer>>()));
        services.AddSingleton<TraderLookup>();
        services.AddScoped<OrderService>();
        services.AddScoped<Risk.MarketService>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<MarketData.MarketDataQueries>();
        services.AddScoped<ClientService>();
        services.AddScoped<ClientLifecycleService>();
        services.AddScoped<Risk.MassCancelService>();
        services.AddScoped<QuoteService>();
        services.AddScoped<LedgerMovementService>();
        services.AddApprovals();
        services.AddObligations();
        return services;
    }

    /// <summary>
    /// Never blocks start-up on Redis: the app must run (on the PostgreSQL ticket fallback) while Redis is down,
    /// and the multiplexer keeps reconnecting in the background.
    /// </summary>
    public static IConnectionMultiplexer ConnectRedis(string? configuration)
    {
        var options = ConfigurationOptions.Parse(configuration is { Length: > 0 } ? configuration : DefaultRedis);
        options.AbortOnConnectFail = false;
        // A command issued while Redis is unreachable must fail now, not wait in the backlog and run on whatever Redis
        // comes back: a ticket-id block reserved during an outage and applied to the restarted (empty) Redis after
        // the outage's fallback ids would hand out numbers below them (seen once in RedisFaultTests).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        return ConnectionMultiplexer.Connect(options);
    }
}
