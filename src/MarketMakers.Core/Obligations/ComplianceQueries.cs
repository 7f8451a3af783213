using System.Globalization;
using Npgsql;

namespace MarketMakers.Core.Obligations;

/// <summary>A compliance period: [From, To), in UTC.</summary>
public sealed record ComplianceRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>
    /// A date (<c>2026-12-07</c>) means that whole UTC day, so <c>date_to</c> is inclusive as a desk reads it; a
    /// timestamp means that instant. Without <c>date_from</c> the period starts today (UTC), without <c>date_to</c>
    /// it runs to the end of today.
    /// </summary>
    public static ComplianceRange Parse(string? dateFrom, string? dateTo, DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var from = Point(dateFrom, "date_from", endOfDay: false) ?? today;
        var to = Point(dateTo, "date_to", endOfDay: true) ?? today.AddDays(1);
        return to > from ? new ComplianceRange(from, to) : throw DomainException.Validation("date_to must be after date_from.");
    }

    private static DateTimeOffset? Point(string? text, string name, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw DomainException.Validation($"{name} '{text}' is not a date (YYYY-MM-DD) or an ISO 8601 time.");
    }
}

/// <summary>
/// Reads of the samples: per-bucket compliance (SPEC §10), the samples themselves, and today's presence for the
/// grid. Buckets are UTC hours, days or months. <c>met</c> compares with the obligation's current min_presence_pct.
/// </summary>
public sealed class ComplianceQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string BucketsSql = """
        SELECT date_trunc($2, s.sampled_at, 'UTC') AS bucket, s.certificate_type,
               count(*) AS samples, count(*) FILTER (WHERE s.present) AS present_samples,
               avg(s.spread) AS avg_spread, avg(s.bid_quantity) AS avg_bid, avg(s.ask_quantity) AS avg_ask,
               ob.min_presence_pct
        FROM obligation_samples s
        JOIN obligations ob ON ob.market_maker_id = s.market_maker_id AND ob.certificate_type = s.certificate_type
        WHERE s.market_maker_id = $1 AND ($3::text IS NULL OR s.certificate_type = $3)
          AND s.sampled_at >= $4 AND s.sampled_at < $5
        GROUP BY 1, 2, ob.min_presence_pct
        ORDER BY 1, 2
        """;

    private const string SamplesSql = """
        SELECT sampled_at, certificate_type, present, best_bid, best_ask, spread, bid_quantity, ask_quantity, max_spread, min_quantity
        FROM obligation_samples
        WHERE market_maker_id = $1 AND ($2::text IS NULL OR certificate_type = $2)
          AND sampled_at >= $3 AND sampled_at < $4 AND ($5 = false OR NOT present)
        ORDER BY sampled_at DESC, certificate_type
        LIMIT $6
        """;

    // Today, per MM, over its active obligations; the badge is green only when every one of them meets its terms. An
    // active obligation without a sample yet today still lists its MM (0 samples), so the grid can tell "no
    // obligation" from "nothing sampled yet".
    private const string TodaySql = """
        WITH per AS (
            SELECT market_maker_id, certificate_type, count(*) AS samples, count(*) FILTER (WHERE present) AS present_samples
            FROM obligation_samples
            WHERE market_maker_id = ANY($1) AND sampled_at >= $2
            GROUP BY 1, 2)
        SELECT ob.market_maker_id, coalesce(sum(per.samples), 0)::bigint, coalesce(sum(per.present_samples), 0)::bigint,
               coalesce(bool_and(100 * per.present_samples >= ob.min_presence_pct * per.samples) FILTER (WHERE per.samples IS NOT NULL), false)
        FROM obligations ob
        LEFT JOIN per ON per.market_maker_id = ob.market_maker_id AND per.certificate_type = ob.certificate_type
        WHERE ob.market_maker_id = ANY($1) AND ob.active
        GROUP BY ob.market_maker_id
        """;

    public async Task<ComplianceReport> BucketsAsync(
        MarketMakerId marketMaker, CertificateType? certificate, ComplianceRange range, string bucket, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(BucketsSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = marketMaker.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = bucket });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)certificate?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = range.From });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = range.To });
        var buckets = new List<ComplianceBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var samples = reader.GetInt64(2);
            var present = reader.GetInt64(3);
            var pct = decimal.Round(100m * present / samples, 2, MidpointRounding.AwayFromZero);
            var min = reader.GetDecimal(7);
            buckets.Add(new ComplianceBucket(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), samples, present, pct,
                reader.IsDBNull(4) ? null : decimal.Round(reader.GetDecimal(4), 4, MidpointRounding.AwayFromZero),
                decimal.Round(reader.GetDecimal(5), 2, MidpointRounding.AwayFromZero),
                decimal.Round(reader.GetDecimal(6), 2, MidpointRounding.AwayFromZero),
                min,
                // Exact, not the rounded figure: 94.996 % does not meet 95 %.
                100m * present >= min * samples));
        }

        return new ComplianceReport(buckets);
    }

    /// <summary>The newest samples of the period (or only the breaches, the samples not present), newest first.</summary>
    public async Task<IReadOnlyList<SampleView>> SamplesAsync(
        MarketMakerId marketMaker, CertificateType? certificate, ComplianceRange range, bool breachesOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(SamplesSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = marketMaker.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)certificate?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = range.From });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = range.To });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = breachesOnly });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<SampleView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SampleView(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : reader.GetDecimal(3), reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetDecimal(8), reader.GetInt64(9)));
        }

        return rows;
    }

    /// <summary>
    /// Today's (UTC) presence per MM, in one query for a whole grid page: every MM of <paramref name="marketMakers"/>
    /// with an active obligation is listed (with 0 samples when none was taken yet today); the others are absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, TodayPresence>> TodayAsync(IReadOnlyCollection<Guid> marketMakers, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<Guid, TodayPresence>();
        if (marketMakers.Count == 0)
        {
            return result;
        }

        await using var command = dataSource.CreateCommand(TodaySql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. marketMakers] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var samples = reader.GetInt64(1);
            var present = reader.GetInt64(2);
            var pct = samples == 0 ? 0m : decimal.Round(100m * present / samples, 2, MidpointRounding.AwayFromZero);
            result[reader.GetGuid(0)] = new TodayPresence(samples, present, pct, samples > 0 && reader.GetBoolean(3));
        }

        return result;
    }
}
