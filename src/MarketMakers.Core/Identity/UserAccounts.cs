using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Creates users inside the caller's business transaction (an MM's account is born with its MM; a client with
/// its entity), which Identity's UserManager cannot do because it saves through its own context.
/// </summary>
public sealed class UserAccounts(IPasswordHasher<AppUser> hasher, ILookupNormalizer normalizer)
{
    public const int MinPasswordLength = 10;

    /// <summary>Adds a user with one role. A null password leaves the account with no usable password.</summary>
    public async Task<AppUser> AddAsync(ActionScope scope, NewUser request, CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        if (!IsEmail(email))
        {
            throw DomainException.Validation("A valid email address is required.");
        }

        if (!Roles.All.Contains(request.Role))
        {
            throw DomainException.Validation($"Unknown role '{request.Role}'.");
        }

        if (request.Password is { } pw && !IsStrongEnough(pw))
        {
            throw DomainException.Validation($"The password needs at least {MinPasswordLength} characters, with letters and digits.");
        }

        var normalizedEmail = normalizer.NormalizeEmail(email);
        if (scope.Db.Users.Any(u => u.NormalizedEmail == normalizedEmail))
        {
            throw DomainException.Conflict($"A user with email {email} already exists.");
        }

        var role = scope.Db.Roles.Single(r => r.Name == request.Role);
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            NormalizedUserName = normalizer.NormalizeName(email),
            Email = email,
            NormalizedEmail = normalizedEmail,
            EmailConfirmed = true,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            EntityId = request.EntityId,
            LockoutEnabled = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = scope.Now,
            MustChangePassword = request.MustChangePassword,
        };
        if (request.Password is not null)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password);
        }

        scope.Db.Users.Add(user);
        scope.Db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = role.Id });
        await scope.Db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>The user's row, locked FOR UPDATE until the action commits (two changes of one user serialize), or 404.</summary>
    public static async Task<AppUser> LockAsync(ActionScope scope, Guid userId, CancellationToken cancellationToken) =>
        await scope.Db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").AsTracking().SingleOrDefaultAsync(cancellationToken)
        ?? throw DomainException.NotFound($"User {userId} not found.");

    /// <summary>
    /// Locks every active ADMIN's row (in id order, so concurrent callers cannot deadlock), then returns the active
    /// admins as committed once the locks are held: two demotions of the last two admins serialize here, and the
    /// second sees only one admin left. The ids are read by a second statement because a statement that waited for
    /// a row lock rechecks only the locked row, not the role rows the first transaction replaced.
    /// </summary>
    public static async Task<List<Guid>> LockActiveAdminsAsync(ActionScope scope, CancellationToken cancellationToken)
    {
        await scope.Db.Database.SqlQuery<Guid>($"""
            SELECT u.id AS "Value" FROM users u
            JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = {Roles.Admin} AND u.is_active ORDER BY u.id FOR UPDATE OF u
            """).ToListAsync(cancellationToken);
        return await (
            from u in scope.Db.Users.AsNoTracking()
            join ur in scope.Db.UserRoles on u.Id equals ur.UserId
            join r in scope.Db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Admin && u.IsActive
            select u.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The user's one role (users hold exactly one).</summary>
    public static Task<string> RoleOfAsync(ActionScope scope, Guid userId, CancellationToken cancellationToken) =>
        (from ur in scope.Db.UserRoles join r in scope.Db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!)
            .FirstAsync(cancellationToken);

    /// <summary>Replaces the user's role; the caller rotates the security stamp so sessions holding the old role end.</summary>
    public static async Task SetRoleAsync(ActionScope scope, Guid userId, string role, CancellationToken cancellationToken)
    {
        var roleId = await scope.Db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync(cancellationToken);
        await scope.Db.UserRoles.Where(ur => ur.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        scope.Db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = userId, RoleId = roleId });
    }

    public static bool IsEmail(string email) =>
        email.Length is > 3 and <= 256 && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;

    private static bool IsStrongEnough(string password) =>
        password.Length >= MinPasswordLength && password.Any(char.IsLetter) && password.Any(char.IsDigit);
}

/// <summary>A user to create; <paramref name="MustChangePassword"/> when someone else chose the password (a new staff member).</summary>
public sealed record NewUser(
    string Email, string? Password, string FirstName, string LastName, string Role, Guid? EntityId = null, bool MustChangePassword = false);
