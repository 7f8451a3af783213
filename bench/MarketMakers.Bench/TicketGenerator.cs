namespace MarketMakers.Bench;

/// <summary>
/// Generates audit tickets with one INSERT … SELECT generate_series, triggers off (session_replication_role = replica,
/// so the seal-queue and statistics triggers do not fire; the statistics rollup is then recounted). Spread: the last 30 days in
/// ticket order, as real tickets are (numbers and timestamps rise together, with a minute of jitter), 12 action types, 1,000 users,
/// 50 Market Makers on 20 % of the rows, 10 % FAILED, two common tags each and a rare third one ("bulk_import", 0.5 %), numbers
/// from 10,000,001 (clear of the seeded tickets), payloads of a few hundred bytes like real order tickets.
/// </summary>
internal static class TicketGenerator
{
    public static async Task<TimeSpan> InsertAsync(BenchDatabase db, int count)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await db.ExecuteAsync($"""
            SET session_replication_role = replica;
            INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id, status,
                request_payload, response_data, ip_address, user_agent, session_id, before_state, after_state, related_ticket_ids, tags)
            SELECT 'TKT-2026-' || (10000000 + g), 2026, 10000000 + g,
                   now() - ({count} - g) * (interval '30 days' / {count}) - random() * interval '1 minute',
                   ('00000000-0000-4000-8000-' || lpad((g % 1000)::text, 12, '0'))::uuid,
                   CASE WHEN g % 5 = 0 THEN ('00000000-0000-4000-9000-' || lpad((g % 50)::text, 12, '0'))::uuid END,
                   (ARRAY['ORDER_PLACED','TRADE_EXECUTED','ORDER_CANCELLED','MM_ORDER_PLACED','MM_ORDER_CANCELLED','DEPOSIT','WITHDRAWAL',
                          'LOGIN','LOGOUT','MM_CREATED','CLIENT_CREATED','ASSET_TRANSACTION'])[1 + g % 12],
                   (ARRAY['order','trade','order','order','order','holder','holder','user','user','market_maker','user','holder'])[1 + g % 12],
                   md5(g::text),
                   CASE WHEN g % 10 = 0 THEN 'FAILED' ELSE 'SUCCESS' END,
                   jsonb_build_object('side', 'BUY', 'price', '100.00', 'quantity', '1', 'order_type', 'LIMIT', 'certificate_type', 'EUA'),
                   jsonb_build_object('order', jsonb_build_object('id', md5(g::text), 'status', 'OPEN'), 'trade_ticket_ids', '[]'::jsonb),
                   '10.0.' || (g % 250) || '.' || (g % 200), 'Mozilla/5.0 (bench)', md5((g % 5000)::text),
                   jsonb_build_object('balances', jsonb_build_object('EUR', jsonb_build_object('available', '100000.00', 'locked', '0.00'))),
                   jsonb_build_object('order', jsonb_build_object('id', md5(g::text), 'side', 'BUY', 'price', '100.00', 'status', 'FILLED', 'quantity', 1),
                                      'ledger', jsonb_build_array(jsonb_build_object('asset', 'EUR', 'available_change', '-100.00', 'locked_change', '100.00'))),
                   ARRAY['TKT-2026-' || (10000000 + greatest(g - 1, 1))],
                   ARRAY[(ARRAY['cash_market','market_maker','trade','ledger','auth'])[1 + g % 5], (ARRAY['order','place','cancel','eua','cea','deposit'])[1 + g % 6]]
                     || CASE WHEN g % 200 = 7 THEN ARRAY['bulk_import'] ELSE ARRAY[]::text[] END
            FROM generate_series(1, {count}) AS g;
            SET session_replication_role = origin;
            SELECT rebuild_ticket_stats();
            """);
        // Triggers were off, so the statistics rollup is recounted as the migration's backfill does. VACUUM rather
        // than ANALYZE alone: a table that grew to 1M tickets over 30 days has been autovacuumed (insert threshold)
        // many times, and otherwise autovacuum starts on the fresh 1M rows in the middle of the measurement.
        await db.ExecuteAsync("VACUUM (ANALYZE) ticket_logs");
        return System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }
}
