using MarketMakers.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Builds Identity's <see cref="UserManager{TUser}"/> over the DbContext of the running business action, with a store
/// that never saves on its own: authenticator keys, recovery codes and password hashes then commit in the same
/// transaction as the ticket that records their change, or not at all.
/// </summary>
public sealed class TwoFactorUserManagers(IServiceProvider services)
{
    public static UserStore<AppUser, AppRole, MarketMakersDbContext, Guid> StoreFor(MarketMakersDbContext db) =>
        new(db) { AutoSaveChanges = false };

    public UserManager<AppUser> For(MarketMakersDbContext db)
    {
        return new UserManager<AppUser>(
            StoreFor(db),
            services.GetRequiredService<IOptions<IdentityOptions>>(),
            services.GetRequiredService<IPasswordHasher<AppUser>>(),
            services.GetServices<IUserValidator<AppUser>>(),
            services.GetServices<IPasswordValidator<AppUser>>(),
            services.GetRequiredService<ILookupNormalizer>(),
            services.GetRequiredService<IdentityErrorDescriber>(),
            services,
            services.GetRequiredService<ILogger<UserManager<AppUser>>>());
    }
}
