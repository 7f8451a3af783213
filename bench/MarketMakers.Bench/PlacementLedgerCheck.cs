namespace MarketMakers.Bench;

/// <summary>The placement scenario's end-of-run consistency check over what the app and the raw-SQL baseline wrote.</summary>
internal static class PlacementLedgerCheck
{
    /// <summary>
    /// Both paths write the same tables, so a baseline that skipped a ledger row or mis-settled a fill shows here:
    /// every balance's available must equal the sum of its ledger rows, its locked must equal what its open orders
    /// still reserve (EUR for BUYs at their limit, certificates for SELLs), and every client BUY must have filled.
    /// </summary>
    public static async Task<(long LedgerOff, long LockedOff, long UnfilledBuys)> RunAsync(BenchDatabase db) => (
        await db.ScalarAsync<long>("""
            SELECT count(*) FROM balances b
            LEFT JOIN (SELECT holder_id, asset, sum(amount) AS total FROM asset_transactions GROUP BY holder_id, asset) t
              ON t.holder_id = b.holder_id AND t.asset = b.asset
            WHERE b.available <> coalesce(t.total, 0)
            """),
        await db.ScalarAsync<long>("""
            SELECT count(*) FROM balances b
            LEFT JOIN (SELECT holder_id, CASE side WHEN 'BUY' THEN 'EUR' ELSE certificate_type END AS asset,
                              sum(CASE side WHEN 'BUY' THEN price ELSE 1 END * (quantity - filled_quantity)) AS reserved
                       FROM orders WHERE status IN ('OPEN', 'PARTIALLY_FILLED') GROUP BY 1, 2) o
              ON o.holder_id = b.holder_id AND o.asset = b.asset
            WHERE b.locked <> coalesce(o.reserved, 0)
            """),
        await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE side = 'BUY' AND market_maker_id IS NULL AND status <> 'FILLED'"));
}
