using System.Security.Claims;
using MarketMakers.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace MarketMakers.Web.Auth;

/// <summary>
/// Every authenticated request, cookie or bearer, is checked against the user's current state (stamp, active,
/// revoked session ids) from <see cref="SessionCache"/>, which answers from memory: no database round trip per request.
/// </summary>
public static class SessionValidation
{
    public static async Task<bool> IsValidAsync(ClaimsPrincipal principal, SessionCache cache, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        var state = await cache.GetAsync(userId, cancellationToken);
        return state is not null && state.Allows(principal.FindFirstValue(AuthSetup.StampClaim), principal.FindFirstValue(AuthSetup.SessionClaim));
    }

    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext ctx)
    {
        var cache = ctx.HttpContext.RequestServices.GetRequiredService<SessionCache>();
        if (ctx.Principal is null || !await IsValidAsync(ctx.Principal, cache, ctx.HttpContext.RequestAborted))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>
    /// The bearer handler has no validation hook, so this unprotects the token itself (same protector, same expiry
    /// rule; the unprotected ticket comes from <see cref="BearerTicketCache"/> after a client's first request) and
    /// either fails it or hands the handler the checked ticket.
    /// </summary>
    public static async Task ValidateBearerAsync(MessageReceivedContext ctx)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var ticket = ctx.HttpContext.RequestServices.GetRequiredService<BearerTicketCache>()
            .Unprotect(header["Bearer ".Length..].Trim(), ctx.Options.BearerTokenProtector);
        var clock = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires)
        {
            return; // the handler fails it the same way
        }

        var cache = ctx.HttpContext.RequestServices.GetRequiredService<SessionCache>();
        if (!await IsValidAsync(ticket.Principal, cache, ctx.HttpContext.RequestAborted))
        {
            ctx.Fail("The session has ended.");
            return;
        }

        ctx.Principal = ticket.Principal;
        ctx.Properties = ticket.Properties;
        ctx.Success();
    }
}

/// <summary>Open Blazor circuits re-check their user on a short interval, so a revoked session loses the page too.</summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggers, SessionCache cache)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(15);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true || await SessionValidation.IsValidAsync(authenticationState.User, cache, cancellationToken);
}
