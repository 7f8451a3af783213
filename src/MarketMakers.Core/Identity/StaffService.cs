using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Identity;

/// <summary>A staff member as the Staff page and <c>GET /api/v1/admin/staff</c> list them.</summary>
public sealed record StaffView(
    Guid Id, string Email, string FirstName, string LastName, string Role, bool IsActive, bool TwoFactorEnabled, bool MustChangePassword, DateTimeOffset CreatedAt)
{
    public static StaffView From(AppUser user, string role) => new(
        user.Id, user.Email ?? "", user.FirstName, user.LastName, role, user.IsActive, user.TwoFactorEnabled, user.MustChangePassword, user.CreatedAt);

    /// <summary>What a ticket records of a user's access: never a hash, a stamp or a key.</summary>
    public object Snapshot() => new { id = Id, email = Email, role = Role, is_active = IsActive, two_factor_enabled = TwoFactorEnabled };
}

/// <summary>
/// Back-office staff: list, create, change role, deactivate/reactivate, reset 2FA. Each action is one transaction with
/// its ticket; access changes rotate the security stamp (so the user's cookies and tokens end) and notify every
/// instance after commit. The rules (nobody changes themselves; the last active ADMIN stays one) are checked under
/// row locks, so two concurrent demotions cannot both pass.
/// </summary>
public sealed class StaffService(
    BusinessActionRunner runner,
    UserAccounts users,
    IUserSessionEvents sessions,
    IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    private const string TokenProvider = "[AspNetUserStore]";

    public async Task<IReadOnlyList<StaffView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from u in db.Users.AsNoTracking()
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where Roles.Staff.Contains(r.Name!)
            orderby u.CreatedAt descending, u.Id descending
            select new { User = u, Role = r.Name! }).ToListAsync(cancellationToken);
        return rows.Select(x => StaffView.From(x.User, x.Role)).ToList();
    }

    public Task<Audited<StaffView>> CreateAsync(CreateStaffMember command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        return runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            AppUser user;
            try
            {
                user = await users.AddAsync(scope, new NewUser(
                    command.Email, command.Password, command.FirstName, command.LastName, command.Role, MustChangePassword: true), cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                throw DomainException.Conflict($"A user with email {command.Email} already exists.");
            }

            var view = StaffView.From(user, command.Role);
            draft.EntityId = user.Id.ToString();
            draft.After = view.Snapshot();
            return view;
        }, cancellationToken);
    }

    public async Task<Audited<StaffView>> UpdateAsync(UpdateStaffMember command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var change = command.Change;
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var admins = await UserAccounts.LockActiveAdminsAsync(scope, cancellationToken);
            var (user, before) = await LoadStaffAsync(scope, change.User.Value, cancellationToken);
            draft.Before = before.Snapshot();
            if (scope.Context.UserId == user.Id)
            {
                throw DomainException.Forbidden("You cannot change your own role or deactivate yourself; ask another administrator.");
            }

            var losesAdmin = before.Role == Roles.Admin && before.IsActive
                && ((change.Role is { } role && role != Roles.Admin) || change.IsActive == false);
            if (losesAdmin && admins.Count(id => id != user.Id) == 0)
            {
                throw DomainException.Rule("The last active ADMIN cannot be demoted or deactivated.");
            }

            var after = await ApplyAsync(scope, user, before.Role, change, cancellationToken);
            draft.After = after.Snapshot();
            return after;
        }, cancellationToken);
        await NotifyAsync(result, change.User.Value);
        return result;
    }

    public async Task<Audited<StaffView>> ResetTwoFactorAsync(ResetStaffTwoFactor command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        var result = await runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var (user, before) = await LoadStaffAsync(scope, command.User.Value, cancellationToken);
            draft.Before = before.Snapshot();
            if (scope.Context.UserId == user.Id)
            {
                throw DomainException.Forbidden("You cannot reset your own two-factor sign-in; ask another administrator.");
            }

            user.TwoFactorEnabled = false;
            user.LastTwoFactorCodeHash = null;
            user.LastTwoFactorCodeAt = null;
            // The authenticator key and the recovery codes: the next sign-in enrolls from scratch.
            await scope.Db.UserTokens.Where(t => t.UserId == user.Id && t.LoginProvider == TokenProvider).ExecuteDeleteAsync(cancellationToken);
            user.RevokeSessions();
            await scope.Db.SaveChangesAsync(cancellationToken);
            var after = StaffView.From(user, before.Role);
            draft.After = after.Snapshot();
            return after;
        }, cancellationToken);
        await NotifyAsync(result, command.User.Value);
        return result;
    }

    /// <summary>
    /// Applies a role and/or active change to a locked user and saves it. Every change rotates the security stamp:
    /// a session holding the old role (or any session of a deactivated user) ends on its next request.
    /// </summary>
    internal static async Task<StaffView> ApplyAsync(ActionScope scope, AppUser user, string currentRole, AccessChange change, CancellationToken cancellationToken)
    {
        var role = currentRole;
        if (change.Role is { } newRole && newRole != currentRole)
        {
            await UserAccounts.SetRoleAsync(scope, user.Id, newRole, cancellationToken);
            role = newRole;
            user.RevokeSessions();
        }

        switch (change.IsActive)
        {
            case false when user.IsActive:
                user.Deactivate();
                break;
            case true when !user.IsActive:
                user.Reactivate();
                user.RevokeSessions();
                break;
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return StaffView.From(user, role);
    }

    private static async Task<(AppUser User, StaffView View)> LoadStaffAsync(ActionScope scope, Guid id, CancellationToken cancellationToken)
    {
        var user = await UserAccounts.LockAsync(scope, id, cancellationToken);
        var role = await UserAccounts.RoleOfAsync(scope, id, cancellationToken);
        return Roles.Staff.Contains(role) ? (user, StaffView.From(user, role)) : throw DomainException.NotFound($"Staff member {id} not found.");
    }

    private Task NotifyAsync<T>(Audited<T> result, Guid userId) =>
        result.IsReplay ? Task.CompletedTask : sessions.UserChangedAsync(userId);
}
