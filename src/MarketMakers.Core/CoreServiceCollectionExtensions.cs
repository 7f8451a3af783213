using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using StackExchange.Redis;

namespace MarketMakers.Core;

public static class CoreServiceCollectionExtensions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Database=marketmakers;Username=postgres";
    public const string DefaultRedis = "127.0.0.1:56379";

    /// <summary>Registers persistence, the ticket counter, the audit runner and the domain services.</summary>
    public static IServiceCollection AddMarketMakersCore(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres") is { Length: > 0 } cs ? cs : DefaultPostgres;
        var dataSource = new NpgsqlDataSourceBuilder(postgres).Build();
        services.AddSingleton(dataSource);
        services.AddDbContextFactory<MarketMakersDbContext>(o => o
            .UseNpgsql(dataSource, npg => npg.MigrationsAssembly(typeof(MarketMakersDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention());

        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(configuration["Redis:Configuration"]));
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<TicketCounterOptions>(configuration.GetSection("TicketCounter"));
        services.AddSingleton<TicketCounterStore>();
        services.AddSingleton<ITicketIdAllocator, TicketIdAllocator>();
        services.TryAddScoped<IRequestContextAccessor>(_ => new FixedRequestContextAccessor(RequestContext.System));
        services.AddScoped<BusinessActionRunner>();

        services.AddIdentityCore<AppUser>(o =>
        {
            o.User.RequireUniqueEmail = true;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        }).AddRoles<AppRole>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<SignInService>();
        services.AddScoped<SignOutService>();
        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton<TicketQueries>();
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
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        return ConnectionMultiplexer.Connect(options);
    }
}
