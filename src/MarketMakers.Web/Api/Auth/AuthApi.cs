using System.Security.Claims;
using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Auth;

/// <summary><c>otp</c>: a current authenticator code, or one of the recovery codes (each works once).</summary>
public sealed record LoginRequest(string? Email, string? Password, string? Otp = null);

public sealed record PasswordChangeRequest(string? Email, string? Password, string? NewPassword);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync)
            .AllowAnonymous()
            .WithName("Login")
            .WithTags(ApiTags.Authentication)
            .AcceptsJson(new LoginRequest("trader@example.com", "correct horse battery staple"))
            .Documented("Sign in", "Exchanges email and password (and `otp`, a current authenticator code or a recovery code, when the account has two-factor sign-in) for a bearer token valid `expires_in` seconds. Every attempt writes a LOGIN_SUCCESS or LOGIN_FAILED ticket. Staff accounts that must use two-factor cannot sign in without it.");
        api.MapPost("/auth/password", ChangePasswordAsync)
            .AllowAnonymous()
            .WithName("ChangePassword")
            .WithTags(ApiTags.Authentication)
            .AcceptsJson(new PasswordChangeRequest("trader@example.com", "correct horse battery staple", "a new long passphrase"))
            .Documented("Change my password", "Changes the password given the current one, and ends every existing session and token of the user (PASSWORD_CHANGED ticket). A wrong current password is a 401.");
        api.MapPost("/auth/logout", LogoutAsync)
            .RequireAuthorization(AuthSetup.ApiUserPolicy)
            .WithName("Logout")
            .WithTags(ApiTags.Authentication)
            .Documented("Sign out", "Revokes the calling token only (LOGOUT ticket); the user's other tokens and browser sessions live on.");
    }

    /// <summary>Other refusals (a rate limit, a service down) reach <see cref="DomainExceptionFilter"/> with their own status.</summary>
    private static async Task<Results<Ok<TokenResponse>, Unauthenticated, UnprocessableEntity<ErrorBody>>> LoginAsync(
        HttpRequest request, SignInService signIn, BusinessActionRunner runner, TimeProvider clock, CancellationToken ct)
    {
        var body = await ReadAsync<LoginRequest>(request, ct);

        // A NUL cannot reach PostgreSQL text: refused here as bad input, not a 500.
        if (body is null || string.IsNullOrWhiteSpace(body.Email) || body.Email.Contains('\0', StringComparison.Ordinal) || body.Password is null)
        {
            return ApiJson.Invalid(await InvalidAsync(runner, ActionTypes.LoginFailed, "A JSON body with email and password is required.", ct));
        }

        try
        {
            var result = await signIn.SignInAsync(body.Email, body.Password, "api", body.Otp, ct);
            var token = AuthSetup.IssueToken(request.HttpContext.RequestServices, result.Value, clock);
            return TypedResults.Ok(new TokenResponse(token, "bearer", (int)AuthSetup.TokenLifetime.TotalSeconds));
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.Unauthorized)
        {
            return new Unauthenticated(ex);
        }
    }

    /// <summary>Changes the password given the current one; ends every existing session of the user.</summary>
    private static async Task<Results<Ok<SuccessResponse>, Unauthenticated, UnprocessableEntity<ErrorBody>>> ChangePasswordAsync(
        HttpRequest request, PasswordChangeService passwords, BusinessActionRunner runner, CancellationToken ct)
    {
        var body = await ReadAsync<PasswordChangeRequest>(request, ct);
        if (body is null || string.IsNullOrWhiteSpace(body.Email) || body.Email.Contains('\0', StringComparison.Ordinal) || body.Password is null || string.IsNullOrEmpty(body.NewPassword))
        {
            return ApiJson.Invalid(await InvalidAsync(runner, ActionTypes.PasswordChanged, "A JSON body with email, password and new_password is required.", ct));
        }

        try
        {
            var result = await passwords.ChangeAsync(body.Email, body.Password, body.NewPassword, "api", ct);
            return TypedResults.Ok(new SuccessResponse(true, result.TicketId));
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.Unauthorized)
        {
            return new Unauthenticated(ex);
        }
    }

    /// <summary>Revokes the calling token only (its sid); the user's other tokens and cookies live on.</summary>
    private static async Task<Ok<SuccessResponse>> LogoutAsync(HttpContext http, SignOutService signOut, TimeProvider clock, CancellationToken ct)
    {
        var userId = Guid.Parse(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var result = await signOut.SignOutAsync(userId, http.User.FindFirstValue(AuthSetup.SessionClaim), clock.GetUtcNow() + AuthSetup.TokenLifetime, ct);
        return TypedResults.Ok(new SuccessResponse(true, result.TicketId));
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<DomainException> InvalidAsync(BusinessActionRunner runner, string actionType, string message, CancellationToken ct)
    {
        var draft = new TicketDraft(actionType, EntityTypes.User) { Request = new { channel = "api" } };
        return await runner.RejectAsync(draft, DomainException.Validation(message), ct);
    }
}
