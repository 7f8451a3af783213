using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Identity;

/// <summary>Who signed in, for the cookie or bearer token the web layer then issues.</summary>
public sealed record SignedInUser(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, string SessionId);

/// <summary>
/// Checks credentials for both the sign-in page and the API. The user row is locked for the attempt, so the
/// failure count behind lockout cannot be raced, and each attempt commits with its LOGIN_SUCCESS or LOGIN_FAILED
/// ticket. Every refusal shows the same message; the ticket records the real reason.
/// </summary>
public sealed class SignInService(
    BusinessActionRunner runner,
    IPasswordHasher<AppUser> hasher,
    ILookupNormalizer normalizer,
    IOptions<IdentityOptions> identityOptions)
{
    public const string RefusedMessage = "Invalid email or password.";

    public async Task<Audited<SignedInUser>> SignInAsync(string? email, string? password, string channel, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.LoginSuccess, EntityTypes.User)
        {
            FailedActionType = ActionTypes.LoginFailed,
            Request = new { email, channel },
        };
        draft.Tags.Add(channel);
        return await runner.RunAsync(draft, async scope =>
        {
            scope.KeepChangesOnRejection = true;
            var normalized = normalizer.NormalizeEmail(email?.Trim() ?? "");
            var user = await scope.Db.Users
                .FromSql($"SELECT * FROM users WHERE normalized_email = {normalized} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw Refused("unknown email");
            draft.UserId = user.Id;
            draft.EntityId = user.Id.ToString();

            var roles = await RolesOfAsync(scope.Db, user.Id, cancellationToken);
            if (roles.Contains(Roles.MarketMaker))
            {
                throw Refused("MARKET_MAKER accounts can never sign in");
            }

            if (user.LockoutEnd is { } end && end > scope.Now)
            {
                throw Refused($"account locked out until {end:O}");
            }

            var verdict = user.PasswordHash is null || string.IsNullOrEmpty(password)
                ? PasswordVerificationResult.Failed
                : hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (verdict == PasswordVerificationResult.Failed)
            {
                RecordFailure(user, scope.Now);
                await scope.Db.SaveChangesAsync(cancellationToken);
                throw Refused(user.LockoutEnd > scope.Now
                    ? $"wrong password; locked out after {identityOptions.Value.Lockout.MaxFailedAccessAttempts} failures"
                    : $"wrong password (failure {user.AccessFailedCount})");
            }

            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = hasher.HashPassword(user, password!);
            }

            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            await scope.Db.SaveChangesAsync(cancellationToken);

            var sessionId = Guid.NewGuid().ToString("N");
            scope.Draft.SessionId = sessionId;
            scope.Draft.After = new { roles };
            return new SignedInUser(user.Id, user.Email ?? "", user.DisplayName, roles, sessionId);
        }, cancellationToken);
    }

    internal static async Task<IReadOnlyList<string>> RolesOfAsync(MarketMakersDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);

    private void RecordFailure(AppUser user, DateTimeOffset now)
    {
        var lockout = identityOptions.Value.Lockout;
        user.AccessFailedCount++;
        if (user.LockoutEnabled && user.AccessFailedCount >= lockout.MaxFailedAccessAttempts)
        {
            user.LockoutEnd = now + lockout.DefaultLockoutTimeSpan;
            user.AccessFailedCount = 0;
        }
    }

    private static DomainException Refused(string reason) =>
        new(DomainErrorKind.Unauthorized, RefusedMessage, reason);
}
