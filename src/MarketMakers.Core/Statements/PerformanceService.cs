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

    /// <summary>The longest daily series a request may ask for, so one call stays a bounded read.</summary>
    public const int MaxDays = 732;

    /// <summary>
    /// One point per UTC day of [from, to) (<paramref name="from"/> defaults to the day of the Market Maker's first
    /// fill, <paramref name="to"/> to now); null when the Market Maker does not exist.
    /// </summary>
    public async Task<IReadOnlyList<PerformanceDay>?> DailyAsync(Guid marketMakerId, CertificateType certificate, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.MarketMakers.AnyAsync(m => m.Id == marketMakerId, cancellationToken))
        {
            return null;
        }

        var lower = from ?? DateTimeOffset.MinValue;
        var upper = to ?? clock.GetUtcNow().AddSeconds(1);
        var fills = (await db.CashMarketTrades.AsNoTracking()
            .Where(t => t.CertificateType == certificate && t.ExecutedAt >= lower && t.ExecutedAt < upper
                        && (t.BuyerHolderId == marketMakerId || t.SellerHolderId == marketMakerId))
            .OrderBy(t => t.Sequence)
            .Select(t => new { t.ExecutedAt, Fill = new MakerFill(t.BuyerHolderId == marketMakerId, t.Price, t.Quantity) })
            .ToListAsync(cancellationToken)).Select(f => (f.ExecutedAt, f.Fill)).ToList();
        if (from is null && fills.Count == 0)
        {
            return [];
        }

        var first = DateOnly.FromDateTime((from ?? fills[0].ExecutedAt).UtcDateTime);
        var last = DateOnly.FromDateTime(upper.AddTicks(-1).UtcDateTime);
        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            throw DomainException.Validation($"A daily series covers at most {MaxDays} days.");
        }

        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var opening = await db.CashMarketTrades.AsNoTracking()
            .Where(t => t.CertificateType == certificate && t.ExecutedAt < start)
            .OrderByDescending(t => t.ExecutedAt).ThenByDescending(t => t.Sequence)
            .Select(t => (decimal?)t.Price).FirstOrDefaultAsync(cancellationToken);
        // Each day's last trade of the instrument, whoever traded: the price the open position is valued at.
        var closes = await db.Database.SqlQuery<DayClose>($"""
            SELECT DISTINCT ON (date_trunc('day', executed_at, 'UTC')) date_trunc('day', executed_at, 'UTC') AS "Day", price AS "Price"
            FROM cash_market_trades
            WHERE certificate_type = {certificate.Value} AND executed_at >= {start} AND executed_at < {upper}
            ORDER BY date_trunc('day', executed_at, 'UTC'), executed_at DESC, sequence DESC
            """).ToListAsync(cancellationToken);
        return PerformanceSeries.Compute(fills, closes.ToDictionary(c => DateOnly.FromDateTime(c.Day.UtcDateTime), c => c.Price), opening, first, last);
    }

    private sealed class DayClose
    {
        public DateTimeOffset Day { get; init; }

        public decimal Price { get; init; }
    }
}
