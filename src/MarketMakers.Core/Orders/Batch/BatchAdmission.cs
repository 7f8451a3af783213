using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The checks a batch runs under the instrument lock before it places anything, each on the orders still open: a
/// refused order leaves the batch here with nothing changed, and gets its FAILED ticket in the same transaction.
/// </summary>
internal static class BatchAdmission
{
    /// <summary>A client order trades for its user's entity, and only while the user is FUNDED (read under the lock).</summary>
    public static void ResolveTraders(IReadOnlyList<BatchItem> items, Dictionary<Guid, (Guid? EntityId, bool Funded)> traders)
    {
        foreach (var item in items)
        {
            if (item.IsOpen && item.Order.TraderUserId is { } userId)
            {
                item.RejectOnFailure(() =>
                    item.Order.AssignHolder(TraderLookup.TradingEntity(userId, traders.TryGetValue(userId, out var row) ? row : null)));
            }
        }
    }

    /// <summary>Claims each keyed order's Idempotency-Key in this transaction (see ADR 0008); a replay or conflict takes the order out.</summary>
    public static async Task ClaimKeysAsync(MarketMakersDbContext db, IReadOnlyList<BatchItem> items)
    {
        foreach (var item in items)
        {
            if (!item.IsOpen || item.Order.Idempotency is not { } key)
            {
                continue;
            }

            await item.RejectOnFailureAsync(async () =>
            {
                if (await IdempotencyStore.ClaimAsync(db, key, item.Order.Ticket.Value, CancellationToken.None) is { } replay)
                {
                    item.Replayed(replay);
                }
                else
                {
                    item.MarkClaimed();
                }
            });
        }
    }

    /// <summary>
    /// FOR SHARE: a concurrent deactivation waits for this batch, or the batch sees it. The same rows give each
    /// incoming Market Maker's name and owner group to <paramref name="parties"/>, for wash-trade prevention: no
    /// statement of their own.
    /// </summary>
    public static async Task CheckMarketMakersAsync(MarketMakersDbContext db, IReadOnlyList<BatchItem> items, Dictionary<Guid, TradingParty> parties)
    {
        var mmIds = items.Where(i => i.IsOpen && i.Order.MarketMakerId is not null).Select(i => i.Order.MarketMakerId!.Value).Distinct().ToArray();
        if (mmIds.Length == 0)
        {
            return;
        }

        var found = await db.MarketMakers
            .FromSql($"SELECT * FROM market_maker_clients WHERE id = ANY({mmIds}) ORDER BY id FOR SHARE")
            .AsNoTracking()
            .ToDictionaryAsync(m => m.Id, CancellationToken.None);
        foreach (var mm in found.Values)
        {
            // The row read under FOR SHARE wins over the candidates' unlocked read of the same Market Maker.
            parties[mm.Id] = new TradingParty(mm.Name, mm.OwnerGroup);
        }
        foreach (var item in items)
        {
            if (item.IsOpen && item.Order.MarketMakerId is { } mmId)
            {
                item.RejectOnFailure(() =>
                    (found.GetValueOrDefault(mmId) ?? throw DomainException.NotFound($"Market Maker {mmId} not found.")).EnsureActive());
            }
        }
    }
}
