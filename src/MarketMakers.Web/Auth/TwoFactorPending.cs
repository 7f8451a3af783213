using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MarketMakers.Core.Identity;

namespace MarketMakers.Web.Auth;

/// <summary>
/// The half-signed-in state between the password step and the code step of the page: a data-protected cookie that
/// names the user and lives five minutes. It grants nothing by itself; only the code step turns it into a sign-in.
/// </summary>
public sealed class TwoFactorPending(IDataProtectionProvider protection)
{
    public const string CookieName = "mm.2fa";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("MarketMakers.TwoFactorPending").ToTimeLimitedDataProtector();

    public void Begin(HttpContext http, Guid userId) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(userId.ToString("N"), Lifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            MaxAge = Lifetime,
            Path = "/",
        });

    public Guid? Read(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            return Guid.TryParse(_protector.Unprotect(value), out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // expired or tampered
        }
    }

    public static void End(HttpContext http) => http.Response.Cookies.Delete(CookieName);
}

/// <summary>
/// With Security:RequireTwoFactor, a signed-in staff member who has not enrolled reaches only the enrollment page,
/// sign-out and static assets; every other page redirects to enrollment. The state comes from the session cache.
/// </summary>
public static class TwoFactorGate
{
    public const string EnrollPath = "/account/two-factor";

    public static IApplicationBuilder UseTwoFactorGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme }
            && !IsExempt(http.Request.Path)
            && http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireTwoFactor
            && Guid.TryParse(http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var userId)
            && await http.RequestServices.GetRequiredService<SessionCache>().GetAsync(userId, http.RequestAborted) is { IsStaff: true, TwoFactorEnabled: false })
        {
            http.Response.Redirect(EnrollPath);
            return;
        }

        await next(http);
    });

    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments(EnrollPath) || path.StartsWithSegments("/account/logout") || path.StartsWithSegments("/account/login")
        || path.StartsWithSegments("/account/password") || path.StartsWithSegments("/account/change-password") || path.StartsWithSegments("/error") || path.StartsWithSegments("/login")
        || path.StartsWithSegments("/api") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/health") || Path.HasExtension(path.Value);
}
