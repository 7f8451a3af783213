using System.Text.Json;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace MarketMakers.Web.Health;

/// <summary>
/// <c>/health</c> reports PostgreSQL and Redis separately. Redis down is Degraded, not Unhealthy: the app keeps
/// trading and issuing ticket ids on the PostgreSQL fallback, so a load balancer should keep sending traffic.
/// <c>/health/live</c> checks nothing but the process (an orchestrator restarts on it, so a database outage must not
/// fail it); <c>/health/ready</c> adds the migrations to <c>/health</c>: an instance on a schema it does not know must
/// not get traffic.
/// </summary>
public static class HealthChecks
{
    public static IServiceCollection AddMarketMakersHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy)
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded)
            .AddCheck<MigrationsHealthCheck>("migrations", HealthStatus.Unhealthy, [ReadyOnly]);
        return services;
    }

    private const string ReadyOnly = "ready-only";

    public static void MapMarketMakersHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", Options(c => !c.Tags.Contains(ReadyOnly))).AllowAnonymous();
        app.MapHealthChecks("/health/live", Options(_ => false)).AllowAnonymous();
        app.MapHealthChecks("/health/ready", Options(_ => true)).AllowAnonymous();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

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

/// <summary>
/// Ready once the database has every migration this build knows. Cached once true: migrations are only ever added
/// by a deployment, which starts new processes, so a probe costs one round trip only until the schema is there.
/// </summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<MarketMakersDbContext> dbFactory) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_applied)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{pending.Count} migration(s) not applied, first {pending[0]}");
            }

            _applied = true;
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Migrations could not be read", ex);
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
