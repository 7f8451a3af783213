using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using MarketMakers.Core.Telemetry;
using Microsoft.AspNetCore.RateLimiting;

namespace MarketMakers.Web.Security;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>A token bucket: bursts up to <see cref="Burst"/>, refilled at <see cref="PerSecond"/> a second.</summary>
public sealed class BucketLimit
{
    public int PerSecond { get; set; }

    public int Burst { get; set; }
}

/// <summary><c>RateLimits</c> in configuration (appsettings.json has the production values).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public WindowLimit SignInPerIp { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    public WindowLimit SignInPerAccount { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };

    public BucketLimit ApiPerToken { get; set; } = new() { PerSecond = 500, Burst = 1000 };
}

/// <summary>
/// ASP.NET Core's rate limiter, as one chain every request passes: sign-in (password and code endpoints, page and
/// API) per client IP and per account, and the API per bearer token. A refusal is 429 with Retry-After and the
/// usual <c>{detail, ticket_id}</c> body; ticket_id is null because a refused request writes nothing: a flood must not
/// turn into a flood of audit rows (the refusals are counted in <c>marketmakers.rate_limit.rejected</c>).
/// </summary>
public static class RateLimits
{
    private static readonly string[] SignInPaths =
        ["/api/v1/auth/login", "/api/v1/auth/password", "/account/login", "/account/login/code", "/account/password"];

    public static IServiceCollection AddMarketMakersRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                    ? Window("ip:" + ClientIp(http), limits.SignInPerIp)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http) && SignInAccount.Of(http) is { } account
                    ? Window("account:" + account, limits.SignInPerAccount)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => BearerToken(http) is { } token
                    ? RateLimitPartition.GetTokenBucketLimiter(token, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, limits.ApiPerToken.Burst),
                        TokensPerPeriod = Math.Max(1, limits.ApiPerToken.PerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, ct);
        });
        return services;
    }

    /// <summary>After authentication is set up, before any endpoint runs; reads the sign-in account first.</summary>
    public static IApplicationBuilder UseMarketMakersRateLimits(this IApplicationBuilder app) =>
        app.UseWhen(IsSignIn, branch => branch.Use(SignInAccount.ReadAsync)).UseRateLimiter();

    private static bool IsSignIn(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && SignInPaths.Any(p => http.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    // The token itself is the partition: every request of one session shares a bucket. Only the API takes bearer
    // tokens (pages use the cookie), so this limits the API and nothing else.
    private static string? BearerToken(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header[7..]
            : null;

    private static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.PermitLimit),
            Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, CancellationToken ct)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        MarketMakersTelemetry.RateLimited.Add(1, new KeyValuePair<string, object?>("limit", IsSignIn(http) ? "sign_in" : "api"));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["detail"] = $"Too many requests; try again in {seconds} s.",
            ["ticket_id"] = null,
        }), ct);
    }
}
