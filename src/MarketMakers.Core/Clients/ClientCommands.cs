using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;

namespace MarketMakers.Core.Clients;

/// <summary>Creates a client user with its entity (the ledger holder it trades for) and a role (USER_CREATED).</summary>
public sealed record CreateClientUser : Command
{
    private CreateClientUser(string email, string password, string firstName, string lastName, string role, string entityName) =>
        (Email, Password, FirstName, LastName, Role, EntityName) = (email, password, firstName, lastName, role, entityName);

    /// <summary>The roles a client user may be given here (Market Makers and admins are created elsewhere).</summary>
    public static IReadOnlyList<string> ClientRoles { get; } = [Roles.Pending, Roles.Approved, Roles.Funded];

    public string Email { get; }

    public string Password { get; }

    public string FirstName { get; }

    public string LastName { get; }

    public string Role { get; }

    public string EntityName { get; }

    public static CreateClientUser Parse(string? email, string? password, string? firstName, string? lastName, string? role, string? entityName)
    {
        var validRole = role?.Trim().ToUpperInvariant();
        if (validRole is null || !ClientRoles.Contains(validRole))
        {
            throw DomainException.Validation($"Unknown client role '{role}'. Use one of {string.Join(", ", ClientRoles)}.");
        }

        var validEntity = ClientEntity.ValidName(entityName);
        var trimmedEmail = email?.Trim() ?? "";
        if (!UserAccounts.IsEmail(trimmedEmail))
        {
            throw DomainException.Validation("A valid email address is required.");
        }

        return string.IsNullOrEmpty(password)
            ? throw DomainException.Validation("A password is required.")
            : new CreateClientUser(trimmedEmail, password, firstName ?? "", lastName ?? "", validRole, validEntity);
    }

    // Never let the password reach a ticket.
    public override TicketDraft Draft() =>
        Ticket(new { email = Email, first_name = FirstName, last_name = LastName, role = Role, entity_name = EntityName });

    public static TicketDraft Ticket(object? request)
    {
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = request };
        draft.Tags.AddRange(["client", "user", "create"]);
        return draft;
    }
}
