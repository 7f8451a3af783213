using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Statements;

/// <summary>Reads a Market Maker's fills and placed orders on one instrument in [from, to) and computes its performance.</summary>
public sealed class PerformanceService(IDbContextFactory<MarketMakersDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Null when the Market Maker does not exist.</summary>
    public async Task<PerformanceView?> GetAsync(Guid marketMakerId, CertificateType certificate, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.MarketMakers.AnyAsync(m => m.Id == marketMakerId, cancellationToken))
        {
            return null;
        }

        var lower = from ?? DateTimeOffset.MinValue;
        var upper = to ?? clock.GetUtcNow().AddSeconds(1);
        // An MM's ledger holder is the MM itself: its fills are the trades it bought or sold in.
        var fills = await db.CashMarketTrades.AsNoTracking()
            .Where(t => t.CertificateType == certificate && t.ExecutedAt >= lower && t.ExecutedAt < upper
                        && (t.BuyerHolderId == marketMakerId || t.SellerHolderId == marketMakerId))
            .OrderBy(t => t.Sequence)
            .Select(t => new MakerFill(t.BuyerHolderId == marketMakerId, t.Price, t.Quantity))
            .ToListAsync(cancellationToken);
        var placedOrders = db.Orders.AsNoTracking()
            .Where(o => o.MarketMakerId == marketMakerId && o.CertificateType == certificate && o.CreatedAt >= lower && o.CreatedAt < upper);
        var placedQuantity = await placedOrders.SumAsync(o => o.Quantity, cancellationToken);
        var filledQuantity = await placedOrders.SumAsync(o => o.FilledQuantity, cancellationToken);
        var last = await db.CashMarketTrades.AsNoTracking()
            .Where(t => t.CertificateType == certificate && t.ExecutedAt < upper)
            .OrderByDescending(t => t.ExecutedAt).ThenByDescending(t => t.Sequence)
            .Select(t => (decimal?)t.Price).FirstOrDefaultAsync(cancellationToken);
        return PerformanceCalculator.Compute(fills, placedQuantity, filledQuantity, last);
    }
}
