using System.Security.Claims;
using MarketMakers.Core;
using MarketMakers.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace MarketMakers.Web.Auth;

/// <summary>The sign-in page posts here: setting a cookie needs a plain HTTP response, not a circuit.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutAsync).RequireAuthorization().ExcludeFromDescription();
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http,
        [FromForm] string? email,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        SignInService signIn,
        CancellationToken ct)
    {
        try
        {
            var result = await signIn.SignInAsync(email, password, "page", ct);
            var principal = AuthSetup.CreatePrincipal(result.Value, CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
            return Results.LocalRedirect(SafeReturnUrl(returnUrl, result.Value.Roles));
        }
        catch (DomainException ex)
        {
            var query = QueryString.Create(new Dictionary<string, string?>
            {
                ["error"] = ex.Message,
                ["ticket"] = ex.TicketId,
                ["email"] = email,
                ["ReturnUrl"] = returnUrl,
            });
            return Results.Redirect("/login" + query);
        }
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, SignOutService signOut, CancellationToken ct)
    {
        if (Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await signOut.SignOutAsync(userId, ct);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/login");
    }

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
