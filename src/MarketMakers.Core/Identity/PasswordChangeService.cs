using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Changes a password given the current one (first sign-in of staff whose password someone else chose, or any user).
/// Identity validates the new password and rotates the security stamp, so every existing cookie and token ends; a
/// wrong current password counts toward lockout. Commits with the PASSWORD_CHANGED ticket.
/// </summary>
public sealed class PasswordChangeService(
    BusinessActionRunner runner,
    ILookupNormalizer normalizer,
    TwoFactorUserManagers managers,
    SignInService signIn,
    IUserSessionEvents sessions)
{
    public async Task<Audited<Guid>> ChangeAsync(string? email, string? password, string? newPassword, string channel, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.PasswordChanged, EntityTypes.User) { Request = new { email, channel } };
        draft.Tags.Add(channel);
        var result = await runner.RunAsync(draft, async scope =>
        {
            scope.KeepChangesOnRejection = true;
            var normalized = normalizer.NormalizeEmail(email?.Trim() ?? "");
            var user = await scope.Db.Users.FromSql($"SELECT * FROM users WHERE normalized_email = {normalized} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken) ?? throw Refused("unknown email");
            scope.Draft.UserId = user.Id;
            scope.Draft.EntityId = user.Id.ToString();
            var roles = await SignInService.RolesOfAsync(scope.Db, user.Id, cancellationToken);
            if (roles.Contains(Roles.MarketMaker) || !user.IsActive)
            {
                throw Refused(user.IsActive ? "MARKET_MAKER accounts can never sign in" : "account deactivated");
            }

            if (user.LockoutEnd is { } end && end > scope.Now)
            {
                throw Refused($"account locked out until {end:O}");
            }

            if (string.IsNullOrEmpty(newPassword) || newPassword == password)
            {
                throw DomainException.Validation("Choose a new password that differs from the current one.");
            }

            var users = managers.For(scope.Db);
            if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
            {
                throw await signIn.FailAsync(scope, user, "wrong current password", SignInService.RefusedMessage, cancellationToken);
            }

            var changed = await users.ChangePasswordAsync(user, password, newPassword);
            if (!changed.Succeeded)
            {
                throw DomainException.Validation(string.Join(" ", changed.Errors.Select(e => e.Description)));
            }

            var had = user.MustChangePassword;
            user.MustChangePassword = false;
            user.AccessFailedCount = 0;
            await scope.Db.SaveChangesAsync(cancellationToken);
            scope.Draft.Before = new { must_change_password = had };
            scope.Draft.After = new { must_change_password = false, sessions_revoked = true };
            return user.Id;
        }, cancellationToken);
        await sessions.UserChangedAsync(result.Value);
        return result;
    }

    private static DomainException Refused(string reason) => new(DomainErrorKind.Unauthorized, SignInService.RefusedMessage, reason);
}
