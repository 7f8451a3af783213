using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Obligations;

/// <summary>
/// A scripted day of samples for one MM's CEA obligation (max spread 1.00, min quantity 10, min presence 50 %), on
/// 2026-01-05, far from the live samplers' "now". Inserting is what the sampler does (the table refuses only changes).
/// 09:00 hour: 2 of 3 present (the third bids only 5) → 66.67 %, met, avg spread 0.5000, avg bid 8.33, avg ask 20.
/// 10:00 hour: 0 of 2 (one-sided; then 1.50 wide) → 0 %, a breach, avg spread 1.5000 (two-sided only), avg bid 5, avg ask 20.
/// The day: 2 of 5 → 40 %, a breach, avg spread 0.7500, avg bid 7, avg ask 20.
/// </summary>
public static class ComplianceScript
{
    public const string Day = "2026-01-05";

    public static Task InsertAsync(string postgres, Guid mm) => TestDatabase.ExecuteAsync(postgres, $"""
        INSERT INTO obligation_samples (market_maker_id, certificate_type, sampled_at, present, best_bid, best_ask, spread, bid_quantity, ask_quantity, max_spread, min_quantity)
        VALUES ('{mm}', 'CEA', '2026-01-05T09:00:00Z', true, 100.00, 100.50, 0.50, 10, 20, 1.00, 10),
               ('{mm}', 'CEA', '2026-01-05T09:20:00Z', true, 100.00, 100.50, 0.50, 10, 20, 1.00, 10),
               ('{mm}', 'CEA', '2026-01-05T09:40:00Z', false, 100.00, 100.50, 0.50, 5, 20, 1.00, 10),
               ('{mm}', 'CEA', '2026-01-05T10:00:00Z', false, NULL, 100.50, NULL, 0, 20, 1.00, 10),
               ('{mm}', 'CEA', '2026-01-05T10:30:00Z', false, 99.00, 100.50, 1.50, 10, 20, 1.00, 10)
        """);

    /// <summary>Samples at today's (UTC) midnight onwards, <paramref name="present"/> of <paramref name="total"/> present.</summary>
    public static Task InsertTodayAsync(string postgres, Guid mm, int present, int total) => TestDatabase.ExecuteAsync(postgres, $"""
        INSERT INTO obligation_samples (market_maker_id, certificate_type, sampled_at, present, best_bid, best_ask, spread, bid_quantity, ask_quantity, max_spread, min_quantity)
        SELECT '{mm}', 'CEA', date_trunc('day', now(), 'UTC') + make_interval(secs => 10 * i), i < {present}, 100.00, 100.50, 0.50, 10, 20, 1.00, 10
        FROM generate_series(0, {total - 1}) AS i
        """);
}
