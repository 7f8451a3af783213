using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Identity;

/// <summary>What the enrollment page shows: either 2FA is on, or the pending key to scan.</summary>
public sealed record TwoFactorSetup(bool Enabled, string? Key, string Email);

/// <summary>
/// Enrolls an authenticator through Identity: a pending key is kept in Identity's token store until a code from it
/// is confirmed, then TwoFactorEnabled is set and 10 recovery codes are generated, with the TWO_FACTOR_ENABLED ticket.
/// </summary>
public sealed class TwoFactorEnrollment(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    BusinessActionRunner runner,
    TwoFactorUserManagers managers,
    IUserSessionEvents sessions)
{
    public const string Issuer = "MarketMakers";

    /// <summary>
    /// The pending key, created on first view. Writing it needs no ticket: it grants nothing until a code from it is
    /// confirmed, and that confirmation is ticketed. The key is set through the store rather than
    /// ResetAuthenticatorKeyAsync so the stamp (and with it the session doing the enrollment) survives.
    /// </summary>
    public async Task<TwoFactorSetup> GetSetupAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        if (user.TwoFactorEnabled)
        {
            return new TwoFactorSetup(true, null, user.Email ?? "");
        }

        var users = managers.For(db);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            var store = TwoFactorUserManagers.StoreFor(db);
            key = users.GenerateNewAuthenticatorKey();
            await store.SetAuthenticatorKeyAsync(user, key, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new TwoFactorSetup(false, key, user.Email ?? "");
    }

    /// <summary>The otpauth URI an authenticator app scans (Key URI format).</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>Confirms the pending key with a code from it; returns the recovery codes, shown once.</summary>
    public async Task<Audited<IReadOnlyList<string>>> EnableAsync(Guid userId, string? code, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.TwoFactorEnabled, EntityTypes.User) { UserId = userId, EntityId = userId.ToString() };
        var result = await runner.RunAsync<IReadOnlyList<string>>(draft, async scope =>
        {
            var user = await scope.Db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
            if (user.TwoFactorEnabled)
            {
                throw DomainException.Rule("Two-factor sign-in is already enabled.");
            }

            var users = managers.For(scope.Db);
            if (string.IsNullOrWhiteSpace(code) || code.Trim().Length != 6
                || await TwoFactorCodes.CheckAsync(users, user, code, scope.Now) is { } reason)
            {
                throw DomainException.Validation("That code does not match the key. Check the time on your device and try again.");
            }

            // Set directly: UserManager.SetTwoFactorEnabledAsync would rotate the stamp and end the enrolling session.
            user.TwoFactorEnabled = true;
            var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
            await scope.Db.SaveChangesAsync(cancellationToken);
            scope.Draft.Before = new { two_factor_enabled = false };
            scope.Draft.After = new { two_factor_enabled = true, recovery_codes = codes.Count };
            return codes;
        }, cancellationToken);
        await sessions.UserChangedAsync(userId);
        return result;
    }
}
