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

/// <summary>The five roles a user can hold.</summary>
public static class Roles
{
    public const string Admin = "ADMIN";
    public const string Pending = "PENDING";
    public const string Approved = "APPROVED";
    public const string Funded = "FUNDED";
    public const string MarketMaker = "MARKET_MAKER";

    public static IReadOnlyList<string> All { get; } = [Admin, Pending, Approved, Funded, MarketMaker];
}
