using System.Security.Claims;
using MarketMakers.Core;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Web.Auth;

/// <summary>
/// The sign-in pages post here: setting a cookie needs a plain HTTP response, not a circuit. The password step is
/// followed, for users with two-factor sign-in, by a code step; no auth cookie is set until both pass.
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/login/code", CodeAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/password", ChangePasswordAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutAsync).RequireAuthorization().ExcludeFromDescription();
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        HttpContext http, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInService signIn, TwoFactorPending pending, IDbContextFactory<MarketMakersDbContext> dbFactory, ILookupNormalizer normalizer,
        CancellationToken ct)
    {
        try
        {
            return await SignedInAsync(http, (await signIn.SignInAsync(email, password, "page", cancellationToken: ct)).Value, returnUrl);
        }
        catch (DomainException ex) when (ex.Reason == SignInService.TwoFactorRequiredReason)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var normalized = normalizer.NormalizeEmail(email?.Trim() ?? "");
            pending.Begin(http, await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync(ct));
            return TypedResults.Redirect("/login/code" + QueryString.Create("ReturnUrl", returnUrl ?? ""));
        }
        catch (DomainException ex) when (ex.Message == SignInService.MustChangePasswordMessage)
        {
            return TypedResults.Redirect("/account/change-password" + Query(ex, email, null));
        }
        catch (DomainException ex)
        {
            return TypedResults.Redirect("/login" + Query(ex, email, returnUrl));
        }
    }

    private static async Task<RedirectHttpResult> CodeAsync(
        HttpContext http, [FromForm] string? code, [FromForm] string? returnUrl, SignInService signIn, TwoFactorPending pending, CancellationToken ct)
    {
        if (pending.Read(http) is not { } userId)
        {
            return TypedResults.Redirect("/login" + QueryString.Create("error", "The sign-in took too long. Please start again."));
        }

        try
        {
            var result = await signIn.CompleteTwoFactorAsync(userId, code, ct);
            TwoFactorPending.End(http);
            return await SignedInAsync(http, result.Value, returnUrl);
        }
        catch (DomainException ex) when (ex.Message == SignInService.WrongCodeMessage && !(ex.Reason ?? "").Contains("locked out", StringComparison.Ordinal))
        {
            return TypedResults.Redirect("/login/code" + Query(ex, null, returnUrl));
        }
        catch (DomainException ex)
        {
            TwoFactorPending.End(http);
            return TypedResults.Redirect("/login" + Query(ex, null, returnUrl));
        }
    }

    private static async Task<RedirectHttpResult> ChangePasswordAsync(
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? newPassword, [FromForm] string? confirmPassword,
        PasswordChangeService passwords, CancellationToken ct)
    {
        if (newPassword != confirmPassword)
        {
            return TypedResults.Redirect("/account/change-password" + QueryString.Create(new Dictionary<string, string?>
            {
                ["error"] = "The new passwords do not match.", ["email"] = email,
            }));
        }

        try
        {
            await passwords.ChangeAsync(email, password, newPassword, "page", ct);
            return TypedResults.Redirect("/login" + QueryString.Create(new Dictionary<string, string?>
            {
                ["info"] = "Password changed. Sign in with your new password.", ["email"] = email,
            }));
        }
        catch (DomainException ex)
        {
            return TypedResults.Redirect("/account/change-password" + Query(ex, email, null));
        }
    }

    private static async Task<RedirectHttpResult> SignedInAsync(HttpContext http, SignedInUser user, string? returnUrl)
    {
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthSetup.CreatePrincipal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.LocalRedirect(user.MustEnroll ? TwoFactorGate.EnrollPath : SafeReturnUrl(returnUrl, user.Roles));
    }

    /// <summary>Ends this cookie's session on every instance (its sid is revoked), not the user's other sessions.</summary>
    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext http, SignOutService signOut, TimeProvider clock, CancellationToken ct)
    {
        if (Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await signOut.SignOutAsync(userId, http.User.FindFirstValue(AuthSetup.SessionClaim), clock.GetUtcNow() + AuthSetup.CookieLifetime, ct);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect("/login");
    }

    private static QueryString Query(DomainException ex, string? email, string? returnUrl) => QueryString.Create(new Dictionary<string, string?>
    {
        ["error"] = ex.Message, ["ticket"] = ex.TicketId, ["email"] = email, ["ReturnUrl"] = returnUrl,
    });

    public static string SafeReturnUrl(string? returnUrl, IReadOnlyList<string> roles)
    {
        if (!string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase))
        {
            return returnUrl;
        }

        return Roles.IsStaff(roles) ? "/backoffice/market-makers" : "/cash-market";
    }
}
