using System.Security.Claims;
using MarketMakers.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace MarketMakers.Web.Auth;

/// <summary>
/// Pages use a cookie; the API uses bearer tokens only, so a browser's cookie can never be replayed against
/// the API (no CSRF surface). Both are protected by the data-protection key ring stored in PostgreSQL, so any
/// instance can read what another issued.
/// </summary>
public static class AuthSetup
{
    public const string BearerScheme = "Bearer";
    public const string SessionClaim = "sid";
    /// <summary>The user's security stamp when the session began: a rotated stamp ends the session (password, 2FA, role, deactivation).</summary>
    public const string StampClaim = "AspNet.Identity.SecurityStamp";
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);
    public const string AdminPagePolicy = "AdminPages";
    public const string AdminApiPolicy = "AdminApi";
    public const string ApiUserPolicy = "ApiUser";
    public const string ApiTraderPolicy = "ApiTrader";
    public const string ApiCashMarketReadPolicy = "ApiCashMarketRead";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static IServiceCollection AddMarketMakersAuth(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.ExpireTimeSpan = CookieLifetime;
                o.SlidingExpiration = true;
                o.Cookie.Name = "mm.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateCookieAsync;
            })
            .AddBearerToken(BearerScheme, o =>
            {
                o.BearerTokenExpiration = TokenLifetime;
                o.Events.OnMessageReceived = SessionValidation.ValidateBearerAsync;
            });
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddSingleton<TwoFactorPending>();
        services.AddSingleton<BearerTicketCache>();

        services.AddMarketMakersPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitRequestContext>();
        return services;
    }

    public static ClaimsPrincipal CreatePrincipal(SignedInUser user, string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(SessionClaim, user.SessionId),
            new(StampClaim, user.SecurityStamp),
            .. user.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Issues an opaque, data-protected bearer token, validated by the BearerToken handler.</summary>
    public static string IssueToken(IServiceProvider services, SignedInUser user, TimeProvider clock)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(BearerScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow() + TokenLifetime };
        var ticket = new AuthenticationTicket(CreatePrincipal(user, BearerScheme), properties, BearerScheme);
        return options.BearerTokenProtector.Protect(ticket);
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }

        // A signed-in user without the role gets a real 403 rather than a redirect to a 200 page.
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        return ctx.Response.WriteAsync("""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Access denied</title>
            <link href="/app.css" rel="stylesheet"></head><body class="mm-center"><main class="mm-card">
            <h1>Access denied</h1><p>Your account does not have access to this page.</p>
            <p><a href="/">Go to your start page</a> · <a href="/login">Sign in as someone else</a></p>
            </main></body></html>
            """);
    }
}
