using Microsoft.AspNetCore.Identity;

namespace MarketMakers.Core.Identity;

/// <summary>A person or Market Maker account. Roles come from Identity's role tables.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    /// <summary>The client entity (ledger holder) a client user trades for; null for admins.</summary>
    public Guid? EntityId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>False once deactivated: the account can no longer sign in, and its sessions end on their next request.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Set when someone else chose the password (a new staff member): it must be changed before any sign-in succeeds.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>
    /// A hash of the last accepted authenticator code and when it was accepted, so the same code cannot be replayed
    /// within its validity window (Identity's authenticator provider accepts a code for several time steps).
    /// </summary>
    public string? LastTwoFactorCodeHash { get; set; }

    public DateTimeOffset? LastTwoFactorCodeAt { get; set; }

    /// <summary>Ends every cookie and token issued so far: they carry the stamp, and a changed stamp fails their next request.</summary>
    public void RevokeSessions() => SecurityStamp = Guid.NewGuid().ToString("N");

    public void Deactivate()
    {
        IsActive = false;
        RevokeSessions();
    }

    public void Reactivate() => IsActive = true;

    public string DisplayName => string.IsNullOrWhiteSpace(FirstName + LastName) ? Email ?? UserName ?? "" : $"{FirstName} {LastName}".Trim();
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole()
    {
    }

    public AppRole(string name)
        : base(name)
    {
        NormalizedName = name.ToUpperInvariant();
    }
}

/// <summary>The roles a user can hold: three back-office staff roles and the client roles.</summary>
public static class Roles
{
    public const string Admin = "ADMIN";
    /// <summary>Runs the desk: Market Makers, clients, MM orders, movement *requests*; cannot approve or manage staff.</summary>
    public const string Operator = "OPERATOR";
    /// <summary>Reads every back-office page and GET endpoint; every mutation is refused.</summary>
    public const string Auditor = "AUDITOR";
    public const string Pending = "PENDING";
    public const string Approved = "APPROVED";
    public const string Funded = "FUNDED";
    public const string MarketMaker = "MARKET_MAKER";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Auditor, Pending, Approved, Funded, MarketMaker];

    /// <summary>Back-office staff: everyone who may open a back-office page.</summary>
    public static IReadOnlyList<string> Staff { get; } = [Admin, Operator, Auditor];

    /// <summary>Staff who may change things on the desk (everything but approvals, staff and resuming a market).</summary>
    public static IReadOnlyList<string> Desk { get; } = [Admin, Operator];

    /// <summary>The roles a client user moves between.</summary>
    public static IReadOnlyList<string> Client { get; } = [Pending, Approved, Funded];

    public static bool IsStaff(IEnumerable<string> roles) => roles.Any(r => Staff.Contains(r));
}
