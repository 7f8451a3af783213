using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MarketMakers.Core.Identity;

/// <summary>
/// One signed-out session (the <c>sid</c> of a cookie or bearer token). Kept until the token would have expired anyway,
/// so a logged-out token is refused by every instance. Revoking all of a user's sessions rotates their security stamp.
/// </summary>
public sealed class RevokedSession
{
    private RevokedSession()
    {
    }

    public string SessionId { get; private set; } = "";

    public Guid UserId { get; private set; }

    public DateTimeOffset RevokedAt { get; private set; }

    /// <summary>After this the token is dead on its own, and the row may be removed.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public static RevokedSession Of(string sessionId, Guid userId, DateTimeOffset now, DateTimeOffset expiresAt) =>
        new() { SessionId = sessionId, UserId = userId, RevokedAt = now, ExpiresAt = expiresAt };
}

internal sealed class RevokedSessionConfiguration : IEntityTypeConfiguration<RevokedSession>
{
    public void Configure(EntityTypeBuilder<RevokedSession> b)
    {
        b.ToTable("revoked_sessions");
        b.HasKey(x => x.SessionId);
        b.Property(x => x.SessionId).HasMaxLength(64);
        b.HasIndex(x => x.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Sign-in security (configuration section "Security").</summary>
public sealed class SecurityOptions
{
    /// <summary>Staff must enroll an authenticator before they reach any page. Off only in the demo.</summary>
    public bool RequireTwoFactor { get; set; } = true;
}

/// <summary>
/// Tells every instance that a user's sign-in state changed (role, deactivation, 2FA reset, password, logout), so
/// cached session checks are dropped and the user's next request sees the change. Call after the change commits.
/// </summary>
public interface IUserSessionEvents
{
    Task UserChangedAsync(Guid userId);
}

/// <summary>The default when nothing caches session state (Core-only hosts).</summary>
public sealed class NoUserSessionEvents : IUserSessionEvents
{
    public Task UserChangedAsync(Guid userId) => Task.CompletedTask;
}
