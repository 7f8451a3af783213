using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace MarketMakers.Web.Health;

/// <summary>
/// <c>/health</c> reports PostgreSQL and Redis separately. Redis down is Degraded, not Unhealthy: the app keeps
/// trading and issuing ticket ids on the PostgreSQL fallback, so a load balancer should keep sending traffic.
/// </summary>
public static class HealthChecks
{
    public static IServiceCollection AddMarketMakersHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy)
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded);
        return services;
    }

    public static void MapMarketMakersHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?> { ["status"] = report.Status.ToString() };
        foreach (var (name, entry) in report.Entries)
        {
            body[name] = new
            {
                status = entry.Status.ToString(),
                duration_ms = Math.Round(entry.Duration.TotalMilliseconds, 1),
                error = entry.Exception?.Message ?? (entry.Status == HealthStatus.Healthy ? null : entry.Description),
            };
        }

        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable", ex);
        }
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!redis.IsConnected)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected; ticket ids come from PostgreSQL");
            }

            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable", ex);
        }
    }
}
