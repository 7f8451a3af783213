using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Statements;

/// <summary>One ledger row on a statement.</summary>
public sealed record StatementMovement(DateTimeOffset At, string TransactionType, decimal Amount, decimal BalanceAfter, string TicketId);

/// <summary>A holder's available balance in one asset over [from, to): opening + Σ amount = closing.</summary>
public sealed record Statement(
    Guid HolderId, Asset Asset, DateTimeOffset? From, DateTimeOffset To, decimal Opening, IReadOnlyList<StatementMovement> Movements, decimal Closing);

/// <summary>
/// Balances as of a past instant and account statements, for Market Makers and client entities. Reads only.
/// </summary>
public sealed class StatementService(IDbContextFactory<MarketMakersDbContext> dbFactory, NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Statements are bounded so one request cannot pull a whole ledger into memory.</summary>
    public const int MaxMovements = 100_000;

    // One index seek per asset on balance_history (holder_id, asset, changed_at desc, id desc): cost does not grow with history.
    private const string AsOfSql = """
        SELECT a.asset, COALESCE(h.available, 0), COALESCE(h.locked, 0)
        FROM unnest(@assets::text[]) AS a(asset)
        LEFT JOIN LATERAL (
            SELECT available, locked FROM balance_history
            WHERE holder_id = @holder AND asset = a.asset AND changed_at <= @at
            ORDER BY changed_at DESC, id DESC
            LIMIT 1) h ON true
        """;

    private const string OpeningSql = """
        SELECT available FROM balance_history
        WHERE holder_id = @holder AND asset = @asset AND changed_at < @at
        ORDER BY changed_at DESC, id DESC
        LIMIT 1
        """;

    // Every asset's code, as the text the as-of seek unnests.
    private static readonly string[] AssetCodes = Asset.All.Select(a => a.Value).ToArray();

    /// <summary>The Market Maker's holder id, or null when there is no such MM.</summary>
    public async Task<Guid?> MarketMakerHolderAsync(Guid marketMakerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MarketMakers.AnyAsync(m => m.Id == marketMakerId, cancellationToken) ? marketMakerId : null;
    }

    /// <summary>The client entity a user trades for, or null (a user without an entity holds nothing).</summary>
    public async Task<Guid?> ClientHolderAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.EntityId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>available, locked and total of every asset at <paramref name="at"/> (zero before the first write).</summary>
    public async Task<IReadOnlyDictionary<string, BalanceView>> BalancesAsOfAsync(Guid? holderId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var result = BalanceView.ZeroPerAsset();
        if (holderId is null)
        {
            return result;
        }

        await using var cmd = dataSource.CreateCommand(AsOfSql);
        cmd.Parameters.AddWithValue("assets", AssetCodes);
        cmd.Parameters.AddWithValue("holder", holderId.Value);
        cmd.Parameters.AddWithValue("at", at.ToUniversalTime());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var available = reader.GetDecimal(1);
            var locked = reader.GetDecimal(2);
            result[reader.GetString(0)] = new BalanceView(available, locked, available + locked);
        }

        return result;
    }

    /// <summary>
    /// The statement of one asset: the available balance just before <paramref name="from"/> (0 without it), every
    /// ledger row in [from, to) in ledger order, and the closing balance.
    /// </summary>
    public async Task<Statement> StatementAsync(
        Guid? holderId, Asset asset, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var end = to ?? clock.GetUtcNow();
        if (from is { } start && start > end)
        {
            throw DomainException.Validation("'from' must not be after 'to'.");
        }

        if (holderId is not { } holder)
        {
            return new Statement(Guid.Empty, asset, from, end, 0m, [], 0m);
        }

        var opening = 0m;
        if (from is { } f)
        {
            await using var cmd = dataSource.CreateCommand(OpeningSql);
            cmd.Parameters.AddWithValue("holder", holder);
            cmd.Parameters.AddWithValue("asset", asset.Value);
            cmd.Parameters.AddWithValue("at", f.ToUniversalTime());
            opening = await cmd.ExecuteScalarAsync(cancellationToken) is decimal d ? d : 0m;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AssetTransactions.AsNoTracking().Where(t => t.HolderId == holder && t.Asset == asset && t.CreatedAt < end);
        if (from is { } lower)
        {
            query = query.Where(t => t.CreatedAt >= lower);
        }

        var rows = await query.OrderBy(t => t.Id).Take(MaxMovements + 1)
            .Select(t => new StatementMovement(t.CreatedAt, t.TransactionType, t.Amount, t.BalanceAfter, t.TicketId))
            .ToListAsync(cancellationToken);
        if (rows.Count > MaxMovements)
        {
            throw DomainException.Validation($"The period holds more than {MaxMovements} movements; choose a shorter one.");
        }

        return new Statement(holder, asset, from, end, opening, rows, opening + rows.Sum(r => r.Amount));
    }
}
