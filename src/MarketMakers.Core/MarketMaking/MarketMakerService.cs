using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.MarketMakers;

/// <summary>
/// Market Maker administration and funding. Every state change runs through <see cref="BusinessActionRunner"/>:
/// one transaction with its SUCCESS ticket, or a FAILED ticket when refused. Ids arrive as strings so that a
/// malformed id is refused (422) with a FAILED ticket like any other bad input.
/// </summary>
public sealed class MarketMakerService(
    BusinessActionRunner runner,
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    LedgerService ledger,
    UserAccounts users,
    IMarketMakerActivity activity)
{
    public const int MaxNotesLength = 1000;

    public async Task<Audited<MarketMakerView>> CreateAsync(CreateMarketMakerRequest request, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.MmCreated, EntityTypes.MarketMaker) { Request = request };
        draft.Tags.AddRange(["market_maker", "create"]);
        return await runner.RunAsync(draft, async scope =>
        {
            var name = MarketMakerClient.ValidName(request.Name);
            var email = request.Email?.Trim() ?? "";
            if (!UserAccounts.IsEmail(email))
            {
                throw DomainException.Validation("A valid email address is required.");
            }

            var initial = ValidInitialBalances(request.InitialBalances);
            if (await scope.Db.MarketMakerClients.AnyAsync(m => m.Email.ToLower() == email.ToLower(), cancellationToken))
            {
                throw DomainException.Conflict($"A Market Maker with email {email} already exists.");
            }

            var id = Guid.CreateVersion7();
            draft.EntityId = id.ToString();
            draft.MarketMakerId = id;
            MarketMakerClient mm = null!;
            await UniqueAsync(email, async () =>
            {
                scope.Db.Holders.Add(Holder.Create(id, HolderKinds.MarketMaker, name, scope.Now));
                var user = await users.AddAsync(scope, new NewUser(email, null, name, "", Roles.MarketMaker, id), cancellationToken);
                mm = MarketMakerClient.Create(id, user.Id, name, email, request.Description, scope.Context.UserId, scope.Now);
                scope.Db.MarketMakerClients.Add(mm);
                await scope.Db.SaveChangesAsync(cancellationToken);
            });

            var depositTickets = new List<string>();
            foreach (var (asset, amount) in initial)
            {
                var deposit = new TicketDraft(ActionTypes.AssetDeposit, EntityTypes.AssetTransaction)
                {
                    MarketMakerId = id,
                    Request = new { certificate_type = asset, transaction_type = TransactionTypes.Deposit, amount, notes = "Initial balance" },
                };
                deposit.RelatedTicketIds.Add(scope.TicketId);
                deposit.Tags.AddRange(["market_maker", "deposit", "initial_balance"]);
                var depositTicket = await scope.AddTicketAsync(deposit, cancellationToken);
                var entry = await ledger.DepositAsync(scope, id, asset, amount, "Initial balance", depositTicket, cancellationToken);
                deposit.EntityId = entry.Transaction.Id.ToString();
                deposit.Before = new { asset, balance = entry.Before };
                deposit.After = new { asset, balance = entry.After, transaction = TransactionView.From(entry.Transaction) };
                depositTickets.Add(depositTicket);
            }

            var balances = await CurrentBalancesAsync(scope, id, cancellationToken);
            draft.After = new { market_maker = mm.Snapshot(), initial_balances = initial, deposit_ticket_ids = depositTickets };
            draft.RelatedTicketIds.AddRange(depositTickets);
            return MarketMakerView.From(mm, balances, new MarketActivity(0, 0));
        }, cancellationToken);
    }

    public Task<Audited<MarketMakerView>> UpdateAsync(string? marketMakerId, UpdateMarketMakerRequest request, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.MmUpdated, EntityTypes.MarketMaker) { EntityId = marketMakerId, Request = request };
        draft.Tags.AddRange(["market_maker", "update"]);
        return runner.RunAsync(draft, async scope =>
        {
            var mm = await LoadForUpdateAsync(scope, draft, marketMakerId, cancellationToken);
            draft.Before = mm.Snapshot();
            mm.Update(request.Name, request.Description, request.IsActive, scope.Now);
            if (request.Name is not null)
            {
                (await scope.Db.Holders.SingleAsync(h => h.Id == mm.Id, cancellationToken)).Rename(mm.Name);
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            draft.After = mm.Snapshot();
            return await ViewAsync(scope, mm, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Soft delete: the Market Maker is deactivated; its ledger, user and tickets stay.</summary>
    public Task<Audited<MarketMakerView>> DeactivateAsync(string? marketMakerId, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.MmDeleted, EntityTypes.MarketMaker) { EntityId = marketMakerId };
        draft.Tags.AddRange(["market_maker", "deletion"]);
        return runner.RunAsync(draft, async scope =>
        {
            var mm = await LoadForUpdateAsync(scope, draft, marketMakerId, cancellationToken);
            draft.Before = mm.Snapshot();
            mm.Deactivate(scope.Now);
            await scope.Db.SaveChangesAsync(cancellationToken);
            draft.After = mm.Snapshot();
            return await ViewAsync(scope, mm, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>A deposit or withdrawal, with an ASSET_DEPOSIT or ASSET_WITHDRAWAL ticket.</summary>
    public Task<Audited<TransactionResult>> TransactAsync(string? marketMakerId, LedgerTransactionRequest request, CancellationToken cancellationToken = default)
    {
        var draft = TransactionDraft(marketMakerId, request.TransactionType, request);
        return runner.RunAsync(draft, async scope =>
        {
            var id = ParseId(marketMakerId);
            draft.MarketMakerId = id;
            var asset = Assets.Parse(request.CertificateType);
            var type = request.TransactionType?.Trim().ToUpperInvariant();
            if (type is not (TransactionTypes.Deposit or TransactionTypes.Withdrawal))
            {
                throw DomainException.Validation(
                    $"Unknown transaction type '{request.TransactionType}'. Use {TransactionTypes.Deposit} or {TransactionTypes.Withdrawal}.");
            }

            var amount = Assets.ValidateAmount(asset, request.Amount);
            if (request.Notes is { Length: > MaxNotesLength })
            {
                throw DomainException.Validation($"Notes may have at most {MaxNotesLength} characters.");
            }

            // FOR SHARE: a concurrent deactivation waits for this movement, or this movement sees it.
            var mm = await scope.Db.MarketMakerClients
                .FromSql($"SELECT * FROM market_maker_clients WHERE id = {id} FOR SHARE")
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw DomainException.NotFound($"Market Maker {id} not found.");
            mm.EnsureActive();

            var entry = type == TransactionTypes.Deposit
                ? await ledger.DepositAsync(scope, id, asset, amount, request.Notes, cancellationToken: cancellationToken)
                : await ledger.WithdrawAsync(scope, id, asset, amount, request.Notes, cancellationToken: cancellationToken);
            var view = TransactionView.From(entry.Transaction);
            draft.EntityId = entry.Transaction.Id.ToString();
            draft.Before = new { asset, balance = entry.Before };
            draft.After = new { asset, balance = entry.After, transaction = view };
            return new TransactionResult(view, entry.After);
        }, cancellationToken);
    }

    public Task<Audited<MarketMakerView>> UpdateAsync(Guid marketMakerId, UpdateMarketMakerRequest request, CancellationToken cancellationToken = default) =>
        UpdateAsync(marketMakerId.ToString(), request, cancellationToken);

    public Task<Audited<MarketMakerView>> DeactivateAsync(Guid marketMakerId, CancellationToken cancellationToken = default) =>
        DeactivateAsync(marketMakerId.ToString(), cancellationToken);

    public Task<Audited<TransactionResult>> TransactAsync(Guid marketMakerId, LedgerTransactionRequest request, CancellationToken cancellationToken = default) =>
        TransactAsync(marketMakerId.ToString(), request, cancellationToken);

    public async Task<MarketMakerView?> GetAsync(Guid marketMakerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mm = await db.MarketMakerClients.AsNoTracking().SingleOrDefaultAsync(m => m.Id == marketMakerId, cancellationToken);
        if (mm is null)
        {
            return null;
        }

        var balances = await ledger.GetBalancesAsync(mm.Id, cancellationToken);
        var counts = await activity.CountAsync([mm.Id], cancellationToken);
        return MarketMakerView.From(mm, balances, counts.GetValueOrDefault(mm.Id));
    }

    /// <summary>Newest first; <paramref name="search"/> matches name or email.</summary>
    public async Task<Page<MarketMakerView>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.MarketMakerClients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(m => EF.Functions.ILike(m.Name, pattern) || EF.Functions.ILike(m.Email, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(cancellationToken);
        var ids = items.Select(m => m.Id).ToList();
        var balances = await ledger.GetBalancesAsync(ids, cancellationToken);
        var counts = await activity.CountAsync(ids, cancellationToken);
        return new Page<MarketMakerView>(total, items
            .Select(m => MarketMakerView.From(m, balances[m.Id], counts.GetValueOrDefault(m.Id)))
            .ToList());
    }

    public async Task<IReadOnlyDictionary<string, BalanceView>?> GetBalancesAsync(Guid marketMakerId, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(marketMakerId, cancellationToken))
        {
            return null;
        }

        return await ledger.GetBalancesAsync(marketMakerId, cancellationToken);
    }

    /// <summary>The Market Maker's ledger rows, newest first, optionally for one asset. Null when it does not exist.</summary>
    public async Task<Page<TransactionView>?> GetTransactionsAsync(
        Guid marketMakerId, string? asset, PageRequest page, CancellationToken cancellationToken = default)
    {
        var canonical = string.IsNullOrWhiteSpace(asset) ? null : Assets.Parse(asset);
        if (!await ExistsAsync(marketMakerId, cancellationToken))
        {
            return null;
        }

        var history = await ledger.GetHistoryAsync(marketMakerId, canonical, page, cancellationToken);
        return new Page<TransactionView>(history.Total, history.Items.Select(TransactionView.From).ToList());
    }

    /// <summary>The draft of a deposit/withdrawal ticket; WITHDRAWAL maps to ASSET_WITHDRAWAL, anything else to ASSET_DEPOSIT.</summary>
    public static TicketDraft TransactionDraft(string? marketMakerId, string? transactionType, object? request)
    {
        var withdrawal = string.Equals(transactionType?.Trim(), TransactionTypes.Withdrawal, StringComparison.OrdinalIgnoreCase);
        var draft = new TicketDraft(withdrawal ? ActionTypes.AssetWithdrawal : ActionTypes.AssetDeposit, EntityTypes.AssetTransaction)
        {
            Request = new { market_maker_id = marketMakerId, body = request },
            MarketMakerId = Guid.TryParse(marketMakerId, out var id) ? id : null,
        };
        draft.Tags.AddRange(["market_maker", withdrawal ? "withdrawal" : "deposit"]);
        return draft;
    }

    public static Guid ParseId(string? marketMakerId) =>
        Guid.TryParse(marketMakerId?.Trim(), out var id)
            ? id
            : throw DomainException.Validation($"'{marketMakerId}' is not a valid Market Maker id.");

    private async Task<bool> ExistsAsync(Guid marketMakerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MarketMakerClients.AnyAsync(m => m.Id == marketMakerId, cancellationToken);
    }

    private static async Task<MarketMakerClient> LoadForUpdateAsync(
        ActionScope scope, TicketDraft draft, string? marketMakerId, CancellationToken cancellationToken)
    {
        var id = ParseId(marketMakerId);
        draft.EntityId = id.ToString();
        var mm = await scope.Db.MarketMakerClients
            .FromSql($"SELECT * FROM market_maker_clients WHERE id = {id} FOR UPDATE")
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Market Maker {id} not found.");
        draft.MarketMakerId = mm.Id;
        return mm;
    }

    private async Task<MarketMakerView> ViewAsync(ActionScope scope, MarketMakerClient mm, CancellationToken cancellationToken)
    {
        var balances = await CurrentBalancesAsync(scope, mm.Id, cancellationToken);
        var counts = await activity.CountAsync([mm.Id], cancellationToken);
        return MarketMakerView.From(mm, balances, counts.GetValueOrDefault(mm.Id));
    }

    /// <summary>Balances as this action's transaction sees them (its own uncommitted writes included).</summary>
    private static async Task<IReadOnlyDictionary<string, BalanceView>> CurrentBalancesAsync(
        ActionScope scope, Guid holderId, CancellationToken cancellationToken)
    {
        var rows = await scope.Db.Balances.AsNoTracking().Where(b => b.HolderId == holderId).ToListAsync(cancellationToken);
        return Assets.All.ToDictionary(
            a => a,
            a => rows.FirstOrDefault(r => r.Asset == a)?.ToView() ?? BalanceView.Zero);
    }

    private static SortedDictionary<string, decimal> ValidInitialBalances(IReadOnlyDictionary<string, decimal>? initial)
    {
        var result = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, amount) in initial ?? new Dictionary<string, decimal>())
        {
            var asset = Assets.Parse(key);
            if (result.ContainsKey(asset))
            {
                throw DomainException.Validation($"Initial balance for {asset} is given twice.");
            }

            if (amount == 0)
            {
                continue;
            }

            result[asset] = Assets.ValidateAmount(asset, amount);
        }

        return result;
    }

    /// <summary>Two creates racing on one email: the unique index decides, and the loser gets a 409.</summary>
    private static async Task UniqueAsync(string email, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw DomainException.Conflict($"A Market Maker with email {email} already exists.");
        }
    }
}
