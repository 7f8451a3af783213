using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;

namespace MarketMakers.Web.Api.Staff;

public sealed record StaffUserView(Guid Id, string Email, string Role, bool IsActive, bool TwoFactorEnabled)
{
    public static StaffUserView From(StaffView v) => new(v.Id, v.Email, v.Role, v.IsActive, v.TwoFactorEnabled);
}

public sealed record StaffUserResponse(StaffUserView User, string TicketId);

public sealed record StaffListResponse(int Total, IReadOnlyList<StaffView> Staff);

/// <summary>Staff management (SPEC §2a), ADMIN only. The rules live in <see cref="StaffService"/>, which the Staff page calls too.</summary>
public static class StaffApi
{
    public static void MapStaffApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/staff").WithTags(ApiTags.Staff);
        g.MapGet("", async (StaffService staff, CancellationToken ct) =>
            {
                var list = await staff.ListAsync(ct);
                return TypedResults.Ok(new StaffListResponse(list.Count, list));
            })
            .RequireAuthorization(Permissions.AdminApi).WithName("ListStaff")
            .Documented("List staff", "Every back-office user (ADMIN, OPERATOR, AUDITOR) with whether they are active and have two-factor sign-in.");
        g.MapPost("", (HttpContext http, StaffService staff) => AuditedCommand.RunAsync(
                http, ParseCreate, i => CreateStaffMember.Ticket(i.ForAudit()), staff.CreateAsync, Shape))
            .AdminOnly(ActionTypes.UserCreated, EntityTypes.User).WithName("CreateStaffMember")
            .AcceptsJson(new CreateStaffBody("operator@marketmakers.example", "a long initial passphrase", "Ada", "Lovelace", "OPERATOR"))
            .Documented("Create a staff member", "Creates a back-office user with the role ADMIN, OPERATOR or AUDITOR (USER_CREATED ticket). A duplicate email is a 409.");
        g.MapPut("/{id}", (HttpContext http, StaffService staff) => AuditedCommand.RunAsync(
                http, ParseUpdate, RefusedAccessChange("staff"), staff.UpdateAsync, Shape))
            .AdminOnly(AccessChangeTypeOfBody, EntityTypes.User).WithName("UpdateStaffMember")
            .AcceptsJson(new AccessChangeBody(Role: "AUDITOR"))
            .Documented("Change a staff member's role or access", "Changes the role and/or deactivates or reactivates the staff member (USER_ROLE_CHANGED or USER_DEACTIVATED ticket); their sessions end. The last active ADMIN cannot be demoted or deactivated (400).");
        g.MapPost("/{id}/reset-two-factor", (HttpContext http, StaffService staff) => AuditedCommand.RunAsync(
                http, i => new ResetStaffTwoFactor(UserId.Parse(i.Route("id"))), i => ResetStaffTwoFactor.Ticket(i.Route("id")), staff.ResetTwoFactorAsync, Shape))
            .AdminOnly(ActionTypes.TwoFactorReset, EntityTypes.User).WithName("ResetStaffTwoFactor")
            .Documented("Reset a staff member's two-factor sign-in", "Removes the authenticator and recovery codes, so the staff member enrols again at the next sign-in (TWO_FACTOR_RESET ticket).");
    }

    public sealed record CreateStaffBody(string Email, string Password, string FirstName, string LastName, string Role);

    /// <summary>The documented body of both access-change endpoints (staff and client).</summary>
    public sealed record AccessChangeBody(string? Role = null, bool? IsActive = null);

    /// <summary>The refused request's action type, from the body as sent (a deactivation, a reactivation or a role change).</summary>
    public static string AccessChangeTypeOfBody(string body) =>
        AccessChange.ActionTypeOf(JsonBody.PeekString(body, "role"), PeekBool(body, "is_active"));

    private static bool? PeekBool(string text, string name)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var p)
                ? p.ValueKind switch { System.Text.Json.JsonValueKind.True => true, System.Text.Json.JsonValueKind.False => false, _ => null }
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static Func<CommandInput, TicketDraft> RefusedAccessChange(string audience) =>
        i => AccessChange.Ticket(audience, i.Route("id"), i.ForAudit(), AccessChangeTypeOfBody(i.Text));

    private static StaffUserResponse Shape(StaffView view, string ticketId) => new(StaffUserView.From(view), ticketId);

    private static CreateStaffMember ParseCreate(CommandInput input)
    {
        var body = input.Body;
        return CreateStaffMember.Parse(body.String("email"), body.String("password"), body.String("first_name"), body.String("last_name"), body.String("role"));
    }

    private static UpdateStaffMember ParseUpdate(CommandInput input)
    {
        var id = UserId.Parse(input.Route("id"));
        return new UpdateStaffMember(AccessChange.Parse(id, input.Body.String("role"), input.Body.Bool("is_active"), Roles.Staff, "staff"));
    }
}
