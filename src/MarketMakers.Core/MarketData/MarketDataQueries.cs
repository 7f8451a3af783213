using Npgsql;
using NpgsqlTypes;

namespace MarketMakers.Core.MarketData;

/// <summary>
/// Public market data over <c>cash_market_trades</c>: OHLCV candles and the trade tape. Reads, not actions (no
/// ticket). Both are single statements served by the (certificate_type, executed_at DESC) index: the candles read
/// only the window's range of it, the tape its newest rows.
/// </summary>
public sealed class MarketDataQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int DefaultCandles = 60;
    public const int MaxCandles = 1000;
    public const int DefaultTape = 50;
    public const int MaxTape = 500;

    // The bucket starts come from generate_series so empty buckets appear; the trades of the window are truncated with
    // date_trunc(unit, executed_at, 'UTC') (explicit zone: day buckets must not follow the session's TimeZone). Open
    // and close are the first and last trade in execution order (executed_at, then the identity sequence, which
    // orders trades of one transaction).
    private const string CandleSql = """
        WITH b AS (
            SELECT generate_series(@first, @last, @step * interval '1 second') AS start
        ), c AS (
            SELECT date_trunc(@unit, executed_at, 'UTC') AS start,
                   (array_agg(price ORDER BY executed_at, sequence))[1] AS open,
                   max(price) AS high,
                   min(price) AS low,
                   (array_agg(price ORDER BY executed_at DESC, sequence DESC))[1] AS close,
                   sum(quantity)::bigint AS volume,
                   count(*)::int AS trades
            FROM cash_market_trades
            WHERE certificate_type = @ct AND executed_at >= @first AND executed_at < @last + @step * interval '1 second'
            GROUP BY 1
        )
        SELECT b.start, c.open, c.high, c.low, c.close, COALESCE(c.volume, 0), COALESCE(c.trades, 0),
               (SELECT price FROM cash_market_trades
                WHERE certificate_type = @ct AND executed_at < @first
                ORDER BY executed_at DESC, sequence DESC LIMIT 1)
        FROM b LEFT JOIN c ON c.start = b.start
        ORDER BY b.start
        """;

    // Two primary-key seeks per print find the orders' arrival sequence; nothing about the holders leaves the query.
    private const string TapeSql = """
        SELECT t.id, t.executed_at, t.price, t.quantity,
               CASE WHEN buy.sequence > sell.sequence THEN 'BUY' ELSE 'SELL' END
        FROM cash_market_trades t
        JOIN orders buy ON buy.id = t.buy_order_id
        JOIN orders sell ON sell.id = t.sell_order_id
        WHERE t.certificate_type = @ct
        ORDER BY t.executed_at DESC, t.sequence DESC
        LIMIT @limit
        """;

    /// <summary>The newest <paramref name="limit"/> buckets up to the one holding now, oldest first.</summary>
    public async Task<CandleSeries> CandlesAsync(
        CertificateType certificateType, CandleBucket bucket, int limit = DefaultCandles, CancellationToken cancellationToken = default)
    {
        var last = bucket.StartOf(clock.GetUtcNow());
        var first = last - (bucket.Step * (limit - 1));
        await using var cmd = dataSource.CreateCommand(CandleSql);
        cmd.Parameters.AddWithValue("ct", certificateType.Value);
        cmd.Parameters.AddWithValue("unit", bucket.Unit);
        cmd.Parameters.Add(new NpgsqlParameter("first", NpgsqlDbType.TimestampTz) { Value = first });
        cmd.Parameters.Add(new NpgsqlParameter("last", NpgsqlDbType.TimestampTz) { Value = last });
        // Seconds, not a TimeSpan: Npgsql would send 1d as the calendar interval '1 day', which follows DST in a non-UTC session.
        cmd.Parameters.AddWithValue("step", (int)bucket.Step.TotalSeconds);
        var candles = new List<Candle>(limit);
        decimal? previous = null;
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            candles.Add(new Candle(
                new DateTimeOffset(r.GetFieldValue<DateTime>(0), TimeSpan.Zero), Dec(r, 1), Dec(r, 2), Dec(r, 3), Dec(r, 4), r.GetInt64(5), r.GetInt32(6)));
            previous = Dec(r, 7);
        }

        return new CandleSeries(certificateType.Value, bucket.Value, previous, candles);
    }

    /// <summary>The newest <paramref name="limit"/> trades of the instrument, newest first.</summary>
    public async Task<TradeTape> TapeAsync(CertificateType certificateType, int limit = DefaultTape, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(TapeSql);
        cmd.Parameters.AddWithValue("ct", certificateType.Value);
        cmd.Parameters.AddWithValue("limit", limit);
        var trades = new List<TapeTrade>(limit);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            trades.Add(new TapeTrade(
                r.GetGuid(0), new DateTimeOffset(r.GetFieldValue<DateTime>(1), TimeSpan.Zero), r.GetDecimal(2), r.GetInt64(3), r.GetString(4)));
        }

        return new TradeTape(certificateType.Value, trades);
    }

    /// <summary>A candle or tape length from the query string: default when absent, 422 outside 1..max.</summary>
    public static int Limit(string? value, int fallback, int max) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 && n <= max ? n
        : throw DomainException.Validation($"'limit' must be an integer from 1 to {max}.");

    private static decimal? Dec(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
}
