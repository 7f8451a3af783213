using Microsoft.Extensions.Options;
using Npgsql;

namespace MarketMakers.Core.Obligations;

/// <summary>Configuration section <c>Obligations</c>.</summary>
public sealed class ObligationOptions
{
    /// <summary>Seconds between two samples of every active obligation (SPEC §10: 10).</summary>
    public int SampleSeconds { get; set; } = 10;

    public TimeSpan Interval => TimeSpan.FromSeconds(SampleSeconds);
}

/// <summary>What one pass did: the slot it sampled, and how many samples it wrote (0 when another instance had it).</summary>
public sealed record SamplePass(DateTimeOffset SlotAt, bool Sampled, int Samples);

/// <summary>
/// Takes one sample of every active obligation in one statement. A pass stamps its samples with its slot (the clock
/// rounded down to <see cref="ObligationOptions.SampleSeconds"/>), so every instance agrees on which slot a pass is.
/// Exactly once across instances by two locks in depth: a transaction-scoped advisory lock lets only one instance
/// sample at a time (the others skip, not wait), and the sample key (MM, instrument, slot) makes a second pass of a
/// slot that already committed insert nothing.
/// </summary>
public sealed class ObligationSampler(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ObligationOptions> options)
{
    /// <summary>The advisory lock key of the sampler ("OBLIGSMP"), apart from the instruments' keys.</summary>
    public const long LockKey = 0x4F42_4C49_4753_4D50;

    // Per active obligation, the MM's OWN best bid and best ask on that instrument and its remaining quantity at each
    // of those two prices: one lateral index seek per side on ix_orders_mm_open_book. Presence is decided here, with
    // the terms in force, and both are stored on the sample.
    private const string SampleSql = """
        INSERT INTO obligation_samples
            (market_maker_id, certificate_type, sampled_at, present, best_bid, best_ask, spread, bid_quantity, ask_quantity, max_spread, min_quantity)
        SELECT p.market_maker_id, p.certificate_type, $1,
               p.best_bid IS NOT NULL AND p.best_ask IS NOT NULL AND p.best_ask - p.best_bid <= p.max_spread
                   AND p.bid_quantity >= p.min_quantity AND p.ask_quantity >= p.min_quantity,
               p.best_bid, p.best_ask, p.best_ask - p.best_bid, p.bid_quantity, p.ask_quantity, p.max_spread, p.min_quantity
        FROM (
            SELECT ob.market_maker_id, ob.certificate_type, ob.max_spread, ob.min_quantity,
                   bid.price AS best_bid, COALESCE(bid.quantity, 0) AS bid_quantity,
                   ask.price AS best_ask, COALESCE(ask.quantity, 0) AS ask_quantity
            FROM obligations ob
            JOIN market_maker_clients mm ON mm.id = ob.market_maker_id AND mm.is_active
            LEFT JOIN LATERAL (
                SELECT o.price, sum(o.quantity - o.filled_quantity)::bigint AS quantity
                FROM orders o
                WHERE o.market_maker_id = ob.market_maker_id AND o.certificate_type = ob.certificate_type
                  AND o.side = 'BUY' AND o.status IN ('OPEN', 'PARTIALLY_FILLED')
                GROUP BY o.price ORDER BY o.price DESC LIMIT 1) bid ON true
            LEFT JOIN LATERAL (
                SELECT o.price, sum(o.quantity - o.filled_quantity)::bigint AS quantity
                FROM orders o
                WHERE o.market_maker_id = ob.market_maker_id AND o.certificate_type = ob.certificate_type
                  AND o.side = 'SELL' AND o.status IN ('OPEN', 'PARTIALLY_FILLED')
                GROUP BY o.price ORDER BY o.price ASC LIMIT 1) ask ON true
            WHERE ob.active) p
        ON CONFLICT (market_maker_id, certificate_type, sampled_at) DO NOTHING
        """;

    /// <summary>The slot the clock is in now: its start, on the sample grid.</summary>
    public DateTimeOffset CurrentSlot()
    {
        var now = clock.GetUtcNow();
        var step = options.Value.Interval.Ticks;
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % step), TimeSpan.Zero);
    }

    /// <summary>Samples the current slot, unless another instance is sampling right now.</summary>
    public async Task<SamplePass> SampleAsync(CancellationToken cancellationToken = default)
    {
        var slot = CurrentSlot();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            tryLock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return new SamplePass(slot, false, 0);
            }
        }

        await using var sample = new NpgsqlCommand(SampleSql, connection, transaction);
        sample.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = slot });
        var written = await sample.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SamplePass(slot, true, written);
    }
}
