using System.Security.Cryptography;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Core.Persistence;

/// <summary>Applies migrations, then makes sure the roles, the configured admin and a market row per instrument exist.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    BusinessActionRunner runner,
    UserAccounts users,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    public const string DefaultAdminEmail = "admin@marketmakers.local";

    // Serializes seeding between instances that start together.
    private const long SeedLockKey = 0x4D4D_5345_4544;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await EnsureRolesAsync(cancellationToken);
        await EnsureAdminAsync(cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await Risk.MarketSeeding.EnsureMarketsAsync(db, configuration, cancellationToken);
        }
    }

    private async Task EnsureRolesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken);
        foreach (var role in Roles.All.Except(existing))
        {
            db.Roles.Add(new AppRole(role) { Id = Guid.CreateVersion7(), ConcurrencyStamp = Guid.NewGuid().ToString("N") });
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private async Task EnsureAdminAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Admin:Email"] is { Length: > 0 } configured ? configured : DefaultAdminEmail;
        var password = configuration["Admin:Password"];
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 14)
                + RandomNumberGenerator.GetString("23456789", 4);
        }

        var normalized = email.ToUpperInvariant();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                return;
            }
        }

        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = new { email, role = Roles.Admin, seeded = true } };
        try
        {
            await runner.RunAsync(draft, async scope =>
            {
                await scope.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
                var user = await users.AddAsync(scope, new NewUser(email, password, "System", "Administrator", Roles.Admin), cancellationToken);
                draft.EntityId = user.Id.ToString();
                draft.UserId = user.Id;
                draft.After = new { id = user.Id, email, role = Roles.Admin };
            }, cancellationToken);
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.Conflict)
        {
            logger.LogInformation("Admin {Email} was seeded by another instance", email);
            return;
        }

        logger.LogInformation("Seeded admin {Email}", email);
        if (generated)
        {
            // Printed exactly once: the account exists from now on and is never re-seeded.
            Console.WriteLine($"""

                ================================================================
                 Seeded admin account (no Admin__Password was configured)
                   email:    {email}
                   password: {password}
                 This password is shown only once. Store it now.
                ================================================================

                """);
        }
    }
}
