using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MarketMakers.Web.Auth;

/// <summary>
/// Who may do what (SPEC §2a): every staff role reads, ADMIN and OPERATOR run the desk, only ADMIN manages staff and
/// approves. API policies authenticate with the bearer scheme only, page policies with the cookie.
/// </summary>
public static class Permissions
{
    /// <summary>Any staff role, bearer: every GET under /api/v1/admin.</summary>
    public const string StaffApi = "StaffApi";
    /// <summary>ADMIN or OPERATOR, bearer: Market Makers, clients, MM orders, movement requests.</summary>
    public const string DeskApi = "DeskApi";
    /// <summary>ADMIN only, bearer: staff management and approvals.</summary>
    public const string AdminApi = AuthSetup.AdminApiPolicy;
    /// <summary>Any staff role, cookie: every back-office page.</summary>
    public const string StaffPages = "StaffPages";
    /// <summary>ADMIN only, cookie: the Staff page.</summary>
    public const string AdminPages = AuthSetup.AdminPagePolicy;

    /// <summary>The roles for page attributes and AuthorizeView (which take a comma-separated list).</summary>
    public const string StaffRoles = Roles.Admin + "," + Roles.Operator + "," + Roles.Auditor;
    public const string DeskRoles = Roles.Admin + "," + Roles.Operator;

    public static void AddMarketMakersPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPages, p => p.RequireRole(Roles.Admin))
            .AddPolicy(StaffPages, p => p.RequireRole(Roles.Staff))
            .AddPolicy(AdminApi, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme).RequireRole(Roles.Admin))
            .AddPolicy(DeskApi, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme).RequireRole(Roles.Desk))
            .AddPolicy(StaffApi, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme).RequireRole(Roles.Staff))
            .AddPolicy(AuthSetup.ApiUserPolicy, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme).RequireAuthenticatedUser())
            .AddPolicy(AuthSetup.ApiTraderPolicy, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme).RequireRole(Roles.Funded))
            .AddPolicy(AuthSetup.ApiCashMarketReadPolicy, p => p.AddAuthenticationSchemes(AuthSetup.BearerScheme)
                .RequireRole([.. Roles.Staff, Roles.Funded, Roles.Approved, Roles.Pending]));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusedMutationHandler>();
    }

    /// <summary>A desk mutation: ADMIN or OPERATOR, and the ticket a refusal is recorded under.</summary>
    public static RouteHandlerBuilder Desk(this RouteHandlerBuilder endpoint, string actionType, string entityType) =>
        endpoint.RequireAuthorization(DeskApi).WithMetadata(new ActionTypeMetadata(actionType, entityType));

    /// <summary>As <see cref="Desk(RouteHandlerBuilder, string, string)"/>, with the action type read from the body (deposit or withdrawal).</summary>
    public static RouteHandlerBuilder Desk(this RouteHandlerBuilder endpoint, Func<string, string> actionTypeOfBody, string entityType) =>
        endpoint.RequireAuthorization(DeskApi).WithMetadata(new ActionTypeMetadata(actionTypeOfBody, entityType));

    /// <summary>An ADMIN-only mutation (staff management, approvals), and the ticket a refusal is recorded under.</summary>
    public static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint, string actionType, string entityType) =>
        endpoint.RequireAuthorization(AdminApi).WithMetadata(new ActionTypeMetadata(actionType, entityType));

    public static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint, Func<string, string> actionTypeOfBody, string entityType) =>
        endpoint.RequireAuthorization(AdminApi).WithMetadata(new ActionTypeMetadata(actionTypeOfBody, entityType));
}

/// <summary>
/// The action a mutating endpoint performs, so a request refused by authorization (before the endpoint runs) still
/// gets its FAILED ticket under the right action type. The type may depend on the body (a deposit or a withdrawal).
/// </summary>
public sealed class ActionTypeMetadata
{
    private readonly Func<string, string> _actionTypeOfBody;

    public ActionTypeMetadata(string actionType, string entityType)
        : this(_ => actionType, entityType)
    {
    }

    public ActionTypeMetadata(Func<string, string> actionTypeOfBody, string entityType)
    {
        _actionTypeOfBody = actionTypeOfBody;
        EntityType = entityType;
    }

    public string EntityType { get; }

    public string ActionTypeFor(string body) => _actionTypeOfBody(body);
}

/// <summary>
/// The one place where a signed-in user without the role is refused a mutation: 403 with <c>{detail, ticket_id}</c>
/// and a FAILED ticket, so every attempt by an AUDITOR (or an OPERATOR on an approval) leaves a trace. Anonymous
/// callers, reads and pages keep the default (401, plain 403, the access-denied page).
/// </summary>
public sealed class RefusedMutationHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var action = context.GetEndpoint()?.Metadata.GetMetadata<ActionTypeMetadata>();
        if (!authorizeResult.Forbidden || action is null || context.User.Identity?.IsAuthenticated != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            // The API's refusals all carry the error body its OpenAPI document promises, the bare challenge included.
            if ((authorizeResult.Challenged || authorizeResult.Forbidden) && context.Request.Path.StartsWithSegments("/api") && !context.Response.HasStarted)
            {
                await ApiJson.Error(context.Response.StatusCode, authorizeResult.Challenged
                    ? "Sign in first: send Authorization: Bearer <access_token> from POST /api/v1/auth/login."
                    : "Your role may not do this.").ExecuteAsync(context);
            }

            return;
        }

        var ct = context.RequestAborted;
        var body = await JsonBody.ReadTextAsync(context.Request, ct);
        var draft = new TicketDraft(action.ActionTypeFor(body), action.EntityType)
        {
            EntityId = context.Request.RouteValues.Values.FirstOrDefault()?.ToString(),
            Request = new { method = context.Request.Method, path = context.Request.Path.Value, body = JsonBody.ForAudit(body) },
        };
        draft.Tags.AddRange(["authorization", "forbidden"]);
        var runner = context.RequestServices.GetRequiredService<BusinessActionRunner>();
        var roles = string.Join(", ", context.User.Claims.Where(c => c.Type == System.Security.Claims.ClaimTypes.Role).Select(c => c.Value));
        var refusal = await runner.RejectAsync(draft, DomainException.Forbidden($"Your role ({roles}) may not do this."), ct);
        await ApiJson.Error(refusal).ExecuteAsync(context);
    }
}
