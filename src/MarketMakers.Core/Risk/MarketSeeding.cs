using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace MarketMakers.Core.Risk;

/// <summary>
/// Every instrument gets its market row at first start, OPEN, with the limits a deployment starts from:
/// <c>Risk:InitialLimits</c> (default collar 10 % — or <c>none</c>, no collar —, no reference, 100,000 certificates, 10,000,000.00 EUR). Only
/// missing rows are inserted, so a restart never undoes what the desk set (RISK_LIMITS_CHANGED).
/// </summary>
internal static class MarketSeeding
{
    public static async Task EnsureMarketsAsync(MarketMakersDbContext db, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection("Risk:InitialLimits");
        var d = RiskLimits.Defaults;
        // Parsed like a PUT of the limits: a misconfigured deployment fails at start, not at the first order.
        // "none" starts without a collar (test and bench hosts, whose prices follow no market); a PUT always sets one.
        var collar = section["PriceCollarPct"] is { } text && text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? null
            : section.GetValue("PriceCollarPct", d.PriceCollarPct);
        var limits = RiskLimits.Parse(
            collar,
            section.GetValue<decimal?>("ReferencePrice"),
            section.GetValue("MaxOrderQuantity", d.MaxOrderQuantity),
            section.GetValue("MaxOrderNotional", d.MaxOrderNotional),
            collarRequired: false);
        foreach (var certificate in CertificateType.All)
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO markets (certificate_type, state, price_collar_pct, reference_price, max_order_quantity, max_order_notional)
                VALUES ({certificate.Value}, 'OPEN', {limits.PriceCollarPct}, {limits.ReferencePrice}, {limits.MaxOrderQuantity}, {limits.MaxOrderNotional})
                ON CONFLICT (certificate_type) DO NOTHING
                """,
                cancellationToken);
        }
    }
}
