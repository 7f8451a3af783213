using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Audit;

/// <summary>
/// The list-order keys (year, number) that a date range's tickets can have, from the lowest and highest key of each
/// hour that the statistics rollup keeps (ticket_hour_bounds plus the not yet folded delta, both written with the tickets).
/// Ticket numbers rise with time only roughly (ids are taken before commit, pooled per drainer, or from the
/// PostgreSQL fallback's blocks), so the bounds are per-hour extremes, never guesses: every ticket of the range lies
/// inside them. Without them a range far in the past walked the whole newer part of the list order to find its first
/// page (ADR 0007). Tickets bulk-loaded with triggers off are outside the bounds until <c>rebuild_ticket_stats()</c>.
/// </summary>
internal readonly record struct TicketKeyRange(int? LowYear, long LowNumber, int? HighYear, long HighNumber, bool Empty)
{
    private const long YearFactor = 1_000_000_000_000;

    public static async Task<TicketKeyRange> ForAsync(MarketMakersDbContext db, TicketFilter f, CancellationToken ct)
    {
        if (f.DateFrom is null && f.DateTo is null)
        {
            return default;
        }

        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT {(f.DateFrom is null ? "NULL::bigint" : """
                (SELECT min(k) FROM (SELECT min_key FROM ticket_hour_bounds WHERE hour >= date_trunc('hour', @from, 'UTC')
                                     UNION ALL SELECT min_key FROM ticket_stats_delta WHERE hour >= date_trunc('hour', @from, 'UTC')) AS a(k))
                """)},
                   {(f.DateTo is null ? "NULL::bigint" : """
                (SELECT max(k) FROM (SELECT max_key FROM ticket_hour_bounds WHERE hour <= @to
                                     UNION ALL SELECT max_key FROM ticket_stats_delta WHERE hour <= @to) AS b(k))
                """)}
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        if (f.DateFrom is { } from)
        {
            cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        }

        if (f.DateTo is { } to)
        {
            cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        long? low = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        long? high = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        // No hour on that side of the range holds a ticket, so none can match.
        var empty = (f.DateFrom is not null && low is null) || (f.DateTo is not null && high is null);
        return new TicketKeyRange(
            (int?)(low / YearFactor), (low ?? 0) % YearFactor, (int?)(high / YearFactor), (high ?? 0) % YearFactor, empty);
    }

    /// <summary>Row comparisons, so that every (…, year, number) index starts and ends its walk at the bounds.</summary>
    public IQueryable<Ticket> Apply(IQueryable<Ticket> q)
    {
        if (LowYear is { } ly)
        {
            var ln = LowNumber;
            q = q.Where(t => EF.Functions.GreaterThanOrEqual(ValueTuple.Create(t.Year, t.Number), ValueTuple.Create(ly, ln)));
        }

        if (HighYear is { } hy)
        {
            var hn = HighNumber;
            q = q.Where(t => EF.Functions.LessThanOrEqual(ValueTuple.Create(t.Year, t.Number), ValueTuple.Create(hy, hn)));
        }

        return q;
    }
}
