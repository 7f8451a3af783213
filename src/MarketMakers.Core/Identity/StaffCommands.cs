using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Identity;

/// <summary>Creates a back-office staff member (USER_CREATED). The initial password must be changed at first sign-in.</summary>
public sealed record CreateStaffMember : Command
{
    private CreateStaffMember(string email, string password, string firstName, string lastName, string role) =>
        (Email, Password, FirstName, LastName, Role) = (email, password, firstName, lastName, role);

    public string Email { get; }

    public string Password { get; }

    public string FirstName { get; }

    public string LastName { get; }

    public string Role { get; }

    public static CreateStaffMember Parse(string? email, string? password, string? firstName, string? lastName, string? role)
    {
        var validRole = AccessChange.ParseRole(role, Roles.Staff, "staff");
        var trimmedEmail = email?.Trim() ?? "";
        if (!UserAccounts.IsEmail(trimmedEmail))
        {
            throw DomainException.Validation("A valid email address is required.");
        }

        return string.IsNullOrEmpty(password)
            ? throw DomainException.Validation("An initial password is required.")
            : new CreateStaffMember(trimmedEmail, password, firstName?.Trim() ?? "", lastName?.Trim() ?? "", validRole!);
    }

    // Never let the password reach a ticket.
    public override TicketDraft Draft() => Ticket(new { email = Email, first_name = FirstName, last_name = LastName, role = Role });

    public static TicketDraft Ticket(object? request)
    {
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = request };
        draft.Tags.AddRange(["staff", "user", "create"]);
        return draft;
    }
}

/// <summary>
/// A change of a user's role and/or active flag, as the staff and client endpoints take it (<c>{role?, is_active?}</c>).
/// Its ticket is USER_DEACTIVATED, USER_REACTIVATED or USER_ROLE_CHANGED, with before/after.
/// </summary>
public sealed record AccessChange(UserId User, string? Role, bool? IsActive)
{
    public static AccessChange Parse(UserId user, string? role, bool? isActive, IReadOnlyList<string> allowedRoles, string kind)
    {
        var validRole = role is null ? null : ParseRole(role, allowedRoles, kind);
        return validRole is null && isActive is null
            ? throw DomainException.Validation("Nothing to change: send role and/or is_active.")
            : new AccessChange(user, validRole, isActive);
    }

    public static string? ParseRole(string? role, IReadOnlyList<string> allowed, string kind)
    {
        var valid = role?.Trim().ToUpperInvariant();
        return valid is not null && allowed.Contains(valid)
            ? valid
            : throw DomainException.Validation($"Unknown {kind} role '{role}'. Use one of {string.Join(", ", allowed)}.");
    }

    public string ActionType => ActionTypeOf(Role, IsActive);

    /// <summary>A deactivation is the weightiest effect, so it names the ticket; then a reactivation; else the role.</summary>
    public static string ActionTypeOf(string? role, bool? isActive) => isActive switch
    {
        false => ActionTypes.UserDeactivated,
        true when role is null => ActionTypes.UserReactivated,
        _ => ActionTypes.UserRoleChanged,
    };

    public TicketDraft Ticket(string audience) => Ticket(audience, User.ToString(), new { role = Role, is_active = IsActive }, ActionType);

    public static TicketDraft Ticket(string audience, string? userId, object? request, string actionType)
    {
        var draft = new TicketDraft(actionType, EntityTypes.User) { EntityId = userId, Request = request };
        draft.Tags.AddRange([audience, "user", "access"]);
        return draft;
    }
}

/// <summary>Changes a staff member's role or active flag (<c>PUT /api/v1/admin/staff/{id}</c>).</summary>
public sealed record UpdateStaffMember(AccessChange Change) : Command
{
    public override TicketDraft Draft() => Change.Ticket("staff");
}

/// <summary>An ADMIN resets another staff member's authenticator (TWO_FACTOR_RESET): they enroll again at next sign-in.</summary>
public sealed record ResetStaffTwoFactor(UserId User) : Command
{
    public override TicketDraft Draft() => Ticket(User.ToString());

    public static TicketDraft Ticket(string? userId)
    {
        var draft = new TicketDraft(ActionTypes.TwoFactorReset, EntityTypes.User) { EntityId = userId, Request = new { user_id = userId } };
        draft.Tags.AddRange(["staff", "two_factor", "reset"]);
        return draft;
    }
}
