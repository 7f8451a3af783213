using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.MarketMaking;

/// <summary>
/// The read side of Market Maker administration: one context per call, no tracking, no tickets (reads are not
/// business actions). Views carry balances and open-order counts, each fetched in one query for a whole page.
/// </summary>
public sealed class MarketMakerQueries(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    LedgerService ledger,
    IMarketMakerActivity activity)
{
    public async Task<MarketMakerView?> GetAsync(Guid marketMakerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mm = await db.MarketMakers.AsNoTracking().SingleOrDefaultAsync(m => m.Id == marketMakerId, cancellationToken);
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
        var query = db.MarketMakers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search);
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
        Guid marketMakerId, Asset? asset, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(marketMakerId, cancellationToken))
        {
            return null;
        }

        var history = await ledger.GetHistoryAsync(marketMakerId, asset, page, cancellationToken);
        return new Page<TransactionView>(history.Total, history.Items.Select(t => TransactionView.From(t, ofMarketMaker: true)).ToList());
    }

    private async Task<bool> ExistsAsync(Guid marketMakerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MarketMakers.AnyAsync(m => m.Id == marketMakerId, cancellationToken);
    }

}
