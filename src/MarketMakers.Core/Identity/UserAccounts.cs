using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Identity;

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

    public static bool IsEmail(string email) =>
        email.Length is > 3 and <= 256 && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;

    private static bool IsStrongEnough(string password) =>
        password.Length >= MinPasswordLength && password.Any(char.IsLetter) && password.Any(char.IsDigit);
}

public sealed record NewUser(string Email, string? Password, string FirstName, string LastName, string Role, Guid? EntityId = null);
