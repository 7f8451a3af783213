using MarketMakers.Core.Audit;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Ledger;

/// <summary>A ledger row as written, with the balance before and after it.</summary>
public sealed record LedgerEntry(AssetTransaction Transaction, BalanceView Before, BalanceView After);

/// <summary>
/// The ledger of every holder in every asset. Writes happen only inside an <see cref="ActionScope"/>:
/// lock the balance row(s), check, update the projection and append the ledger row, all in the action's
/// transaction. Reads come from the <c>balances</c> projection and never sum the history.
/// See docs/decisions/0003-ledger-and-balances.md.
/// </summary>
public sealed class LedgerService(NpgsqlDataSource dataSource, IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    /// <summary>The balance read path: a primary-key lookup on the projection, independent of history length.</summary>
    public const string BalanceReadSql = "SELECT asset, available, locked FROM balances WHERE holder_id = @holder";

    private const string BalancesReadManySql =
        "SELECT holder_id, asset, available, locked FROM balances WHERE holder_id = ANY(@holders)";

    /// <summary>
    /// Locks the balance rows of all the given holder/asset pairs, creating missing rows first, in one
    /// deterministic order (holder, then asset) so that two actions touching the same rows cannot deadlock.
    /// An action that touches several balances must lock them all with one call before changing any.
    /// </summary>
    public static async Task<IReadOnlyDictionary<(Guid HolderId, Asset Asset), Balance>> LockAsync(
        ActionScope scope, IEnumerable<(Guid HolderId, Asset Asset)> keys, CancellationToken cancellationToken = default)
    {
        var requested = keys.Distinct().ToList();
        if (requested.Count == 1)
        {
            var (holderId, asset) = requested[0];
            var single = await SelectForUpdateAsync(scope, holderId, asset, cancellationToken);
            if (single is null)
            {
                // First movement of this asset for this holder: create the row (a racing creator wins harmlessly), then lock it.
                await CreateMissingAsync(scope, requested, cancellationToken);
                single = await SelectForUpdateAsync(scope, holderId, asset, cancellationToken)
                    ?? throw new InvalidOperationException($"Balance row {holderId}/{asset} vanished after insert.");
            }

            return requested.ToDictionary(k => k, _ => single);
        }

        // Several rows: one statement locks them all in the database's (holder_id, asset) order, so two actions
        // touching overlapping rows always queue in the same order and cannot deadlock.
        var rows = (await SelectManyForUpdateAsync(scope, requested, cancellationToken)).ToDictionary(r => (r.HolderId, r.Asset));
        if (rows.Count < requested.Count)
        {
            await CreateMissingAsync(scope, requested.Where(k => !rows.ContainsKey(k)).ToList(), cancellationToken);
            rows = (await SelectManyForUpdateAsync(scope, requested, cancellationToken)).ToDictionary(r => (r.HolderId, r.Asset));
            if (rows.Count < requested.Count)
            {
                throw new InvalidOperationException("Balance rows vanished after insert.");
            }
        }

        return rows;
    }

    private static Task<List<Balance>> SelectManyForUpdateAsync(
        ActionScope scope, IReadOnlyList<(Guid HolderId, Asset Asset)> keys, CancellationToken cancellationToken)
    {
        var holders = keys.Select(k => k.HolderId).ToArray();
        var assets = keys.Select(k => k.Asset.Value).ToArray();
        return scope.Db.Balances
            .FromSql($"""
                SELECT b.* FROM balances b
                JOIN unnest({holders}::uuid[], {assets}::text[]) AS k(holder_id, asset)
                  ON b.holder_id = k.holder_id AND b.asset = k.asset
                ORDER BY b.holder_id, b.asset COLLATE "C"
                FOR UPDATE OF b
                """)
            .AsTracking()
            .ToListAsync(cancellationToken);
    }

    private static async Task CreateMissingAsync(
        ActionScope scope, IReadOnlyList<(Guid HolderId, Asset Asset)> keys, CancellationToken cancellationToken)
    {
        var holders = keys.Select(k => k.HolderId).ToArray();
        var assets = keys.Select(k => k.Asset.Value).ToArray();
        await scope.Db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO balances (holder_id, asset, available, locked, updated_at)
            SELECT k.holder_id, k.asset, 0, 0, {scope.Now}
            FROM unnest({holders}::uuid[], {assets}::text[]) AS k(holder_id, asset)
            ORDER BY k.holder_id, k.asset COLLATE "C"
            ON CONFLICT (holder_id, asset) DO NOTHING
            """,
            cancellationToken);
    }

    private static Task<Balance?> SelectForUpdateAsync(ActionScope scope, Guid holderId, Asset asset, CancellationToken cancellationToken) =>
        scope.Db.Balances
            .FromSql($"SELECT * FROM balances WHERE holder_id = {holderId} AND asset = {asset.Value} FOR UPDATE")
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The ledger primitive: lock the holder's balance, check, move available and locked by the deltas and append
    /// one ledger row (amount = <paramref name="deltaAvailable"/>, balance_after = available afterwards) that
    /// points to <paramref name="ticketId"/> (the action's own ticket by default).
    /// </summary>
    private async Task<LedgerEntry> ApplyAsync(
        ActionScope scope,
        Guid holderId,
        Asset asset,
        string transactionType,
        decimal deltaAvailable,
        decimal deltaLocked,
        string? notes,
        string? ticketId = null,
        CancellationToken cancellationToken = default)
    {
        var balance = (await LockAsync(scope, [(holderId, asset)], cancellationToken)).Values.Single();
        var before = balance.ToView();
        balance.Apply(deltaAvailable, deltaLocked, scope.Now);
        var row = AssetTransaction.Record(
            ticketId ?? scope.TicketId, balance, transactionType, deltaAvailable, Trim(notes), scope.Context.UserId, scope.Now);
        scope.Db.AssetTransactions.Add(row);
        await scope.Db.SaveChangesAsync(cancellationToken);
        return new LedgerEntry(row, before, balance.ToView());
    }

    /// <summary>
    /// Books a movement on an already locked row and queues its ledger row for the action's next SaveChanges.
    /// The caller must save before posting a second row for the same holder/asset (EF does not promise insert
    /// order within one SaveChanges, and the newest row's balance_after must be the current available).
    /// </summary>
    public static LedgerEntry Post(
        ActionScope scope, Balance balance, string transactionType, decimal deltaAvailable, decimal deltaLocked, string? notes, string ticketId)
    {
        var before = balance.ToView();
        balance.Apply(deltaAvailable, deltaLocked, scope.Now);
        var row = AssetTransaction.Record(ticketId, balance, transactionType, deltaAvailable, Trim(notes), scope.Context.UserId, scope.Now);
        if (scope.LedgerSink is { } sink)
        {
            sink.Add(row);
        }
        else
        {
            scope.Db.AssetTransactions.Add(row);
        }

        return new LedgerEntry(row, before, balance.ToView());
    }

    /// <summary>
    /// Fill settlement on an already locked row: what was sold or paid leaves locked, with no ledger row
    /// (available does not change). Saved with the action's next write.
    /// </summary>
    public static BalanceView ConsumeLocked(ActionScope scope, Balance balance, decimal amount)
    {
        balance.Apply(0m, -Positive(amount), scope.Now);
        return balance.ToView();
    }

    /// <summary>A manual movement: DEPOSIT adds to available, WITHDRAWAL takes from it (refused beyond what is available).</summary>
    public Task<LedgerEntry> MoveAsync(
        ActionScope scope, Guid holderId, MovementType type, Amount amount, string? notes, string? ticketId = null, CancellationToken cancellationToken = default) =>
        ApplyAsync(scope, holderId, amount.Asset, type.Value, type == MovementType.Deposit ? amount.Value : -amount.Value, 0m, notes, ticketId, cancellationToken);

    /// <summary>All assets of one holder, zero where nothing was ever booked. One primary-key lookup.</summary>
    public async Task<IReadOnlyDictionary<string, BalanceView>> GetBalancesAsync(Guid holderId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(BalanceReadSql);
        cmd.Parameters.AddWithValue("holder", holderId);
        var result = BalanceView.ZeroPerAsset();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var available = reader.GetDecimal(1);
            var locked = reader.GetDecimal(2);
            result[reader.GetString(0)] = new BalanceView(available, locked, available + locked);
        }

        return result;
    }

    /// <summary>Balances of many holders at once (for list pages).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, BalanceView>>> GetBalancesAsync(
        IReadOnlyCollection<Guid> holderIds, CancellationToken cancellationToken = default)
    {
        var result = holderIds.Distinct().ToDictionary(id => id, _ => BalanceView.ZeroPerAsset());
        if (result.Count == 0)
        {
            return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, BalanceView>)kv.Value);
        }

        await using var cmd = dataSource.CreateCommand(BalancesReadManySql);
        cmd.Parameters.AddWithValue("holders", result.Keys.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var available = reader.GetDecimal(2);
            var locked = reader.GetDecimal(3);
            result[reader.GetGuid(0)][reader.GetString(1)] = new BalanceView(available, locked, available + locked);
        }

        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, BalanceView>)kv.Value);
    }

    /// <summary>A holder's ledger rows, newest first, optionally for one asset; served by (holder_id, asset, id desc).</summary>
    public async Task<Page<AssetTransaction>> GetHistoryAsync(
        Guid holderId, Asset? asset, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AssetTransactions.AsNoTracking().Where(t => t.HolderId == holderId);
        if (asset is not null)
        {
            query = query.Where(t => t.Asset == asset);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(t => t.Id)
            .Skip(page.Offset)
            .Take(page.Limit)
            .ToListAsync(cancellationToken);
        return new Page<AssetTransaction>(total, items);
    }

    private static decimal Positive(decimal amount) =>
        amount > 0 ? amount : throw DomainException.Validation("The amount must be greater than 0.");

    private static string? Trim(string? notes) =>
        string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
}
