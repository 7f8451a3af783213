using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Clients;

public sealed record ClientUserView(Guid Id, string Email, string Role, Guid? EntityId);

/// <summary>A client user as the Clients page lists it, with the entity's balances.</summary>
public sealed record ClientView(
    Guid UserId,
    string Email,
    string FirstName,
    string LastName,
    string Role,
    Guid? EntityId,
    string? EntityName,
    IReadOnlyDictionary<string, BalanceView> Balances,
    DateTimeOffset CreatedAt,
    bool IsActive = true);

/// <summary>
/// Client users and their entities: creation (USER_CREATED), one transaction with its ticket through
/// <see cref="BusinessActionRunner"/>, and the reads of the Clients page. Funding goes through <see cref="LedgerMovementService"/>.
/// </summary>
public sealed class ClientService(
    BusinessActionRunner runner,
    UserAccounts users,
    LedgerService ledger,
    IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public Task<Audited<ClientUserView>> CreateUserAsync(CreateClientUser command, CancellationToken cancellationToken = default)
    {
        var draft = command.Draft();
        return runner.RunAsync(draft, command.Idempotency, async scope =>
        {
            var entityId = Guid.CreateVersion7();
            scope.Db.Holders.Add(Holder.Create(entityId, HolderKinds.ClientEntity, command.EntityName, scope.Now));
            scope.Db.ClientEntities.Add(ClientEntity.Create(entityId, command.EntityName, scope.Now));
            AppUser user;
            try
            {
                user = await users.AddAsync(
                    scope, new NewUser(command.Email, command.Password, command.FirstName, command.LastName, command.Role, entityId), cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                throw DomainException.Conflict($"A user with email {command.Email} already exists.");
            }

            var view = new ClientUserView(user.Id, user.Email!, command.Role, entityId);
            draft.EntityId = user.Id.ToString();
            draft.After = new { user = view, entity = new { id = entityId, name = command.EntityName } };
            return view;
        }, cancellationToken);
    }

    /// <summary>The client entity a user trades for, or null (admins, users without an entity).</summary>
    public async Task<Guid?> EntityOfAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.EntityId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A user's entity balances (zeros when the user has no entity).</summary>
    public async Task<IReadOnlyDictionary<string, BalanceView>> BalancesOfUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        await EntityOfAsync(userId, cancellationToken) is { } entity
            ? await ledger.GetBalancesAsync(entity, cancellationToken)
            : BalanceView.ZeroPerAsset();

    /// <summary>Client users (with an entity), newest first, with balances; <paramref name="search"/> matches email, name or entity.</summary>
    public async Task<Page<ClientView>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query =
            from u in db.Users.AsNoTracking()
            join e in db.ClientEntities.AsNoTracking() on u.EntityId equals e.Id
            select new
            {
                u.Id,
                u.Email,
                u.FirstName,
                u.LastName,
                u.CreatedAt,
                u.IsActive,
                EntityId = e.Id,
                EntityName = e.Name,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault(),
            };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search);
            query = query.Where(x => EF.Functions.ILike(x.Email!, pattern) || EF.Functions.ILike(x.EntityName, pattern)
                || EF.Functions.ILike(x.FirstName, pattern) || EF.Functions.ILike(x.LastName, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(cancellationToken);
        var balances = await ledger.GetBalancesAsync(items.Select(i => i.EntityId).ToList(), cancellationToken);
        return new Page<ClientView>(total, items.Select(i => new ClientView(
            i.Id, i.Email ?? "", i.FirstName, i.LastName, i.Role ?? "", i.EntityId, i.EntityName, balances[i.EntityId], i.CreatedAt, i.IsActive)).ToList());
    }

    /// <summary>A client entity's ledger rows, newest first.</summary>
    public async Task<Page<TransactionView>> TransactionsOfUserAsync(Guid userId, Asset? asset, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (await EntityOfAsync(userId, cancellationToken) is not { } entity)
        {
            return new Page<TransactionView>(0, []);
        }

        var history = await ledger.GetHistoryAsync(entity, asset, page, cancellationToken);
        return new Page<TransactionView>(history.Total, history.Items.Select(t => TransactionView.From(t, ofMarketMaker: false)).ToList());
    }
}
