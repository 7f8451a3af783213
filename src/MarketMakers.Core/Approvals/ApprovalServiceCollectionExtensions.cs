using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketMakers.Core.Approvals;

public static class ApprovalServiceCollectionExtensions
{
    /// <summary>The four-eyes services (Core); the web app adds the expiry sweep with <see cref="AddMovementRequestExpiry"/>.</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services)
    {
        services.AddSingleton<RedisApprovalQueueNotifier>();
        services.TryAddSingleton<IApprovalQueueNotifier>(sp => sp.GetRequiredService<RedisApprovalQueueNotifier>());
        services.AddSingleton<ApprovalQueries>();
        services.AddSingleton<MovementRequestExpirer>();
        services.AddScoped<ApprovalService>();
        return services;
    }

    /// <summary>The background expiry of pending requests (and the start-up warning when four-eyes is off).</summary>
    public static IServiceCollection AddMovementRequestExpiry(this IServiceCollection services) =>
        services.AddHostedService<MovementRequestExpiryService>();
}
