using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;

namespace MarketMakers.Web.Security;

/// <summary>
/// Abuse resistance in one place (docs/operations.md, "Security headers and rate limits"): forwarded headers from
/// trusted proxies only, the security headers, the antiforgery cookie's flags and the rate limits.
/// </summary>
public static class SecuritySetup
{
    public static IServiceCollection AddMarketMakersSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        // Behind a TLS-terminating proxy the app must know the request was HTTPS (HSTS, Secure cookies) and who the
        // client was (rate limits, /metrics access). Only loopback proxies are trusted unless configured.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var cidr in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
            }
        });
        services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services.AddMarketMakersRateLimits();
    }

    /// <summary>First in the pipeline: every response, static files and errors included, carries the headers.</summary>
    public static IApplicationBuilder UseMarketMakersSecurity(this IApplicationBuilder app) =>
        app.UseForwardedHeaders().UseMarketMakersSecurityHeaders().UseMarketMakersRateLimits();
}
