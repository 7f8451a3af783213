using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Who signed in, for the cookie or bearer token the web layer then issues. <paramref name="MustEnroll"/>: a staff
/// member who has to enroll an authenticator before reaching anything else (page sign-in only).
/// </summary>
public sealed record SignedInUser(
    Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, string SessionId, string SecurityStamp, bool MustEnroll = false);

/// <summary>
/// Checks credentials for both the sign-in page and the API. The user row is locked for the attempt, so the
/// failure count behind lockout cannot be raced, and each attempt commits with its LOGIN_SUCCESS or LOGIN_FAILED
/// ticket. Every refusal shows the same message; the ticket records the real reason. Wrong second-factor codes count
/// toward lockout like wrong passwords.
/// </summary>
public sealed class SignInService(
    BusinessActionRunner runner,
    IPasswordHasher<AppUser> hasher,
    ILookupNormalizer normalizer,
    TwoFactorUserManagers managers,
    IOptions<IdentityOptions> identityOptions,
    IOptions<SecurityOptions> security)
{
    public const string RefusedMessage = "Invalid email or password.";
    public const string CodeRequiredMessage = "A two-factor code is required.";
    public const string WrongCodeMessage = "Invalid two-factor code.";
    public const string MustChangePasswordMessage = "You must change your password before you can sign in.";
    public const string MustEnrollMessage = "Two-factor sign-in is required for staff: enroll an authenticator on the web page /account/two-factor first.";

    /// <summary>Password step, and with <paramref name="otp"/> also the code step (the API sends both at once).</summary>
    public Task<Audited<SignedInUser>> SignInAsync(string? email, string? password, string channel, string? otp = null, CancellationToken cancellationToken = default) =>
        RunAsync(new { email, channel, otp_supplied = !string.IsNullOrEmpty(otp) }, channel, async scope =>
        {
            var normalized = normalizer.NormalizeEmail(email?.Trim() ?? "");
            var user = await scope.Db.Users
                .FromSql($"SELECT * FROM users WHERE normalized_email = {normalized} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw Refused("unknown email");
            var roles = await CheckAccountAsync(scope, user, cancellationToken);

            var verdict = user.PasswordHash is null || string.IsNullOrEmpty(password)
                ? PasswordVerificationResult.Failed
                : hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (verdict == PasswordVerificationResult.Failed)
            {
                throw await FailAsync(scope, user, "wrong password", RefusedMessage, cancellationToken);
            }

            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = hasher.HashPassword(user, password!);
            }

            if (user.MustChangePassword)
            {
                throw new DomainException(DomainErrorKind.Unauthorized, MustChangePasswordMessage, "password must be changed first");
            }

            return await SecondFactorAsync(scope, user, roles, otp, channel, cancellationToken);
        }, cancellationToken);

    /// <summary>The page's code step, for a user whose password step already passed (held in a short-lived protected cookie).</summary>
    public Task<Audited<SignedInUser>> CompleteTwoFactorAsync(Guid userId, string? code, CancellationToken cancellationToken = default) =>
        RunAsync(new { user_id = userId, channel = "page", step = "code" }, "page", async scope =>
        {
            var user = await scope.Db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken) ?? throw Refused("unknown user");
            var roles = await CheckAccountAsync(scope, user, cancellationToken);
            return await SecondFactorAsync(scope, user, roles, code ?? "", "page", cancellationToken);
        }, cancellationToken);

    private Task<Audited<SignedInUser>> RunAsync(object request, string channel, Func<ActionScope, Task<SignedInUser>> work, CancellationToken cancellationToken)
    {
        var draft = new TicketDraft(ActionTypes.LoginSuccess, EntityTypes.User) { FailedActionType = ActionTypes.LoginFailed, Request = request };
        draft.Tags.Add(channel);
        return runner.RunAsync(draft, scope =>
        {
            scope.KeepChangesOnRejection = true;
            return work(scope);
        }, cancellationToken);
    }

    /// <summary>Refusals that hold whatever the password: Market Maker accounts, deactivated users, lockout.</summary>
    private static async Task<IReadOnlyList<string>> CheckAccountAsync(ActionScope scope, AppUser user, CancellationToken cancellationToken)
    {
        scope.Draft.UserId = user.Id;
        scope.Draft.EntityId = user.Id.ToString();
        var roles = await RolesOfAsync(scope.Db, user.Id, cancellationToken);
        if (roles.Contains(Roles.MarketMaker))
        {
            throw Refused("MARKET_MAKER accounts can never sign in");
        }

        if (!user.IsActive)
        {
            throw Refused("account deactivated");
        }

        if (user.LockoutEnd is { } end && end > scope.Now)
        {
            throw Refused($"account locked out until {end:O}");
        }

        return roles;
    }

    private async Task<SignedInUser> SecondFactorAsync(
        ActionScope scope, AppUser user, IReadOnlyList<string> roles, string? code, string channel, CancellationToken cancellationToken)
    {
        var mustEnroll = !user.TwoFactorEnabled && security.Value.RequireTwoFactor && Roles.IsStaff(roles);
        if (mustEnroll && channel == "api")
        {
            throw new DomainException(DomainErrorKind.Unauthorized, MustEnrollMessage, "staff member has not enrolled two-factor sign-in");
        }

        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrEmpty(code))
            {
                await scope.Db.SaveChangesAsync(cancellationToken);
                throw new DomainException(DomainErrorKind.Unauthorized, CodeRequiredMessage, TwoFactorRequiredReason);
            }

            var reason = await TwoFactorCodes.CheckAsync(managers.For(scope.Db), user, code, scope.Now);
            if (reason is not null)
            {
                throw await FailAsync(scope, user, reason, WrongCodeMessage, cancellationToken);
            }
        }

        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        await scope.Db.SaveChangesAsync(cancellationToken);

        var sessionId = Guid.NewGuid().ToString("N");
        scope.Draft.SessionId = sessionId;
        scope.Draft.After = new { roles, two_factor = user.TwoFactorEnabled, must_enroll = mustEnroll };
        return new SignedInUser(user.Id, user.Email ?? "", user.DisplayName, roles, sessionId, user.SecurityStamp ?? "", mustEnroll);
    }

    /// <summary>The ticket reason of a correct password for a 2FA user without a code: the page then asks for the code.</summary>
    public const string TwoFactorRequiredReason = "password accepted; two-factor code required";

    internal static async Task<IReadOnlyList<string>> RolesOfAsync(MarketMakersDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);

    /// <summary>Counts a failed attempt toward lockout; the count commits with the FAILED ticket.</summary>
    internal async Task<DomainException> FailAsync(ActionScope scope, AppUser user, string reason, string message, CancellationToken cancellationToken)
    {
        var lockout = identityOptions.Value.Lockout;
        user.AccessFailedCount++;
        var lockedOut = false;
        if (user.LockoutEnabled && user.AccessFailedCount >= lockout.MaxFailedAccessAttempts)
        {
            user.LockoutEnd = scope.Now + lockout.DefaultLockoutTimeSpan;
            user.AccessFailedCount = 0;
            lockedOut = true;
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return new DomainException(DomainErrorKind.Unauthorized, message, lockedOut
            ? $"{reason}; locked out after {lockout.MaxFailedAccessAttempts} failures"
            : $"{reason} (failure {user.AccessFailedCount})");
    }

    private static DomainException Refused(string reason) =>
        new(DomainErrorKind.Unauthorized, RefusedMessage, reason);
}
