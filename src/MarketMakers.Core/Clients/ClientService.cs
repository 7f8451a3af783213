using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Clients;

/// <summary>POST /admin/users: a client user with its entity (the ledger holder it trades for) and a role.</summary>
public sealed record CreateClientUserRequest(
    string? Email, string? Password, string? FirstName, string? LastName, string? Role, string? EntityName)
{
    // Never let the password reach a ticket.
    public object ForAudit() => new { email = Email, first_name = FirstName, last_name = LastName, role = Role, entity_name = EntityName };
}

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
    DateTimeOffset CreatedAt);

/// <summary>A ledger row of a client entity.</summary>
public sealed record HolderTransactionView(
    long Id, string TicketId, Guid HolderId, string CertificateType, string TransactionType, decimal Amount, decimal BalanceAfter,
    string? Notes, Guid? CreatedBy, DateTimeOffset CreatedAt)
{
    public static HolderTransactionView From(AssetTransaction t) =>
        new(t.Id, t.TicketId, t.HolderId, t.Asset, t.TransactionType, t.Amount, t.BalanceAfter, t.Notes, t.CreatedBy, t.CreatedAt);
}

public sealed record HolderTransactionResult(HolderTransactionView Transaction, BalanceView NewBalance);

/// <summary>
/// Client users and their entities: creation (USER_CREATED) and funding (ASSET_DEPOSIT / ASSET_WITHDRAWAL), each
/// one transaction with its ticket through <see cref="BusinessActionRunner"/>.
/// </summary>
public sealed class ClientService(
    BusinessActionRunner runner,
    UserAccounts users,
    LedgerService ledger,
    IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public const int MaxNotesLength = 1000;

    /// <summary>The roles a client user may be given here (Market Makers and admins are created elsewhere).</summary>
    public static IReadOnlyList<string> ClientRoles { get; } = [Roles.Pending, Roles.Approved, Roles.Funded];

    public static TicketDraft CreateDraft(object? request)
    {
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = request };
        draft.Tags.AddRange(["client", "user", "create"]);
        return draft;
    }

    public Task<Audited<ClientUserView>> CreateUserAsync(CreateClientUserRequest request, CancellationToken cancellationToken = default)
    {
        var draft = CreateDraft(request.ForAudit());
        return runner.RunAsync(draft, async scope =>
        {
            var role = request.Role?.Trim().ToUpperInvariant();
            if (role is null || !ClientRoles.Contains(role))
            {
                throw DomainException.Validation($"Unknown client role '{request.Role}'. Use one of {string.Join(", ", ClientRoles)}.");
            }

            var entityName = ClientEntity.ValidName(request.EntityName);
            var email = request.Email?.Trim() ?? "";
            if (!UserAccounts.IsEmail(email))
            {
                throw DomainException.Validation("A valid email address is required.");
            }

            if (string.IsNullOrEmpty(request.Password))
            {
                throw DomainException.Validation("A password is required.");
            }

            var entityId = Guid.CreateVersion7();
            scope.Db.Holders.Add(Holder.Create(entityId, HolderKinds.ClientEntity, entityName, scope.Now));
            scope.Db.ClientEntities.Add(ClientEntity.Create(entityId, entityName, scope.Now));
            AppUser user;
            try
            {
                user = await users.AddAsync(
                    scope, new NewUser(email, request.Password, request.FirstName ?? "", request.LastName ?? "", role, entityId), cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                throw DomainException.Conflict($"A user with email {email} already exists.");
            }

            var view = new ClientUserView(user.Id, user.Email!, role, entityId);
            draft.EntityId = user.Id.ToString();
            draft.After = new { user = view, entity = new { id = entityId, name = entityName } };
            return view;
        }, cancellationToken);
    }

    public static TicketDraft TransactionDraft(string? userId, string? transactionType, object? request)
    {
        var withdrawal = string.Equals(transactionType?.Trim(), TransactionTypes.Withdrawal, StringComparison.OrdinalIgnoreCase);
        var draft = new TicketDraft(withdrawal ? ActionTypes.AssetWithdrawal : ActionTypes.AssetDeposit, EntityTypes.AssetTransaction)
        {
            Request = new { user_id = userId, body = request },
        };
        draft.Tags.AddRange(["client", withdrawal ? "withdrawal" : "deposit"]);
        return draft;
    }

    /// <summary>POST /admin/users/{id}/deposits: EUR into the user's entity (ASSET_DEPOSIT).</summary>
    public Task<Audited<HolderTransactionResult>> DepositEurAsync(string? userId, decimal? amount, string? notes, CancellationToken cancellationToken = default) =>
        TransactAsync(userId, Assets.Eur, TransactionTypes.Deposit, amount, notes, cancellationToken);

    /// <summary>A deposit or withdrawal of any asset for a client entity (pages, tests and demo data).</summary>
    public Task<Audited<HolderTransactionResult>> TransactAsync(
        string? userId, string? asset, string? transactionType, decimal? amount, string? notes, CancellationToken cancellationToken = default)
    {
        var draft = TransactionDraft(userId, transactionType, new { certificate_type = asset, transaction_type = transactionType, amount, notes });
        return runner.RunAsync(draft, async scope =>
        {
            var id = ParseUserId(userId);
            var canonical = Assets.Parse(asset);
            var type = transactionType?.Trim().ToUpperInvariant();
            if (type is not (TransactionTypes.Deposit or TransactionTypes.Withdrawal))
            {
                throw DomainException.Validation($"Unknown transaction type '{transactionType}'. Use DEPOSIT or WITHDRAWAL.");
            }

            var value = Assets.ValidateAmount(canonical, amount);
            if (notes is { Length: > MaxNotesLength })
            {
                throw DomainException.Validation($"Notes may have at most {MaxNotesLength} characters.");
            }

            var entityId = await scope.Db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.EntityId }).SingleOrDefaultAsync(cancellationToken)
                ?? throw DomainException.NotFound($"User {id} not found.");
            var holderId = entityId.EntityId ?? throw DomainException.Rule("This user has no client entity to fund.");
            var entry = type == TransactionTypes.Deposit
                ? await ledger.DepositAsync(scope, holderId, canonical, value, notes, cancellationToken: cancellationToken)
                : await ledger.WithdrawAsync(scope, holderId, canonical, value, notes, cancellationToken: cancellationToken);
            var view = HolderTransactionView.From(entry.Transaction);
            draft.EntityId = entry.Transaction.Id.ToString();
            draft.Before = new { asset = canonical, balance = entry.Before };
            draft.After = new { asset = canonical, balance = entry.After, transaction = view };
            return new HolderTransactionResult(view, entry.After);
        }, cancellationToken);
    }

    public static Guid ParseUserId(string? userId) =>
        Guid.TryParse(userId?.Trim(), out var id) ? id : throw DomainException.Validation($"'{userId}' is not a valid user id.");

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
            : Assets.All.ToDictionary(a => a, _ => BalanceView.Zero);

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
                EntityId = e.Id,
                EntityName = e.Name,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault(),
            };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(x => EF.Functions.ILike(x.Email!, pattern) || EF.Functions.ILike(x.EntityName, pattern)
                || EF.Functions.ILike(x.FirstName, pattern) || EF.Functions.ILike(x.LastName, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(cancellationToken);
        var balances = await ledger.GetBalancesAsync(items.Select(i => i.EntityId).ToList(), cancellationToken);
        return new Page<ClientView>(total, items.Select(i => new ClientView(
            i.Id, i.Email ?? "", i.FirstName, i.LastName, i.Role ?? "", i.EntityId, i.EntityName, balances[i.EntityId], i.CreatedAt)).ToList());
    }

    /// <summary>A client entity's ledger rows, newest first.</summary>
    public async Task<Page<HolderTransactionView>> TransactionsOfUserAsync(Guid userId, string? asset, PageRequest page, CancellationToken cancellationToken = default)
    {
        var canonical = string.IsNullOrWhiteSpace(asset) ? null : Assets.Parse(asset);
        if (await EntityOfAsync(userId, cancellationToken) is not { } entity)
        {
            return new Page<HolderTransactionView>(0, []);
        }

        var history = await ledger.GetHistoryAsync(entity, canonical, page, cancellationToken);
        return new Page<HolderTransactionView>(history.Total, history.Items.Select(HolderTransactionView.From).ToList());
    }
}
