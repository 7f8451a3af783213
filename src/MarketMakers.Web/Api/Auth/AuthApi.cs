using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Web.Auth;

namespace MarketMakers.Web.Api.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync)
            .AllowAnonymous()
            .WithName("Login")
            .Produces<TokenResponse>()
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> LoginAsync(
        HttpRequest request, SignInService signIn, BusinessActionRunner runner, TimeProvider clock, CancellationToken ct)
    {
        LoginRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<LoginRequest>(ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            body = null;
        }

        if (body is null || string.IsNullOrWhiteSpace(body.Email) || body.Password is null)
        {
            var draft = new TicketDraft(ActionTypes.LoginFailed, EntityTypes.User) { Request = new { channel = "api" } };
            throw await runner.RejectAsync(draft, DomainException.Validation("A JSON body with email and password is required."), ct);
        }

        var result = await signIn.SignInAsync(body.Email, body.Password, "api", ct);
        var token = AuthSetup.IssueToken(request.HttpContext.RequestServices, result.Value, clock);
        return Results.Ok(new TokenResponse(token, "bearer", (int)AuthSetup.TokenLifetime.TotalSeconds));
    }
}
