using MarketMakers.Core.Orders;

namespace MarketMakers.Core.Risk;

/// <summary>
/// What an order batch read of its market under the instrument lock (one statement of its first round trip): the
/// state, the limits, and the last trade price. Applied in memory to each order at its turn, so neither the halt
/// nor a limit costs a round trip per order (ADR 0012).
/// </summary>
internal sealed record MarketRules(string CertificateType, bool Halted, string? Reason, RiskLimits Limits, decimal? LastPrice)
{
    /// <summary>The market row and the last trade price; $1 is the certificate type. Runs after the instrument lock.</summary>
    public const string Sql = """
        SELECT m.state, m.reason, m.price_collar_pct, m.reference_price, m.max_order_quantity, m.max_order_notional,
               (SELECT t.price FROM cash_market_trades t WHERE t.certificate_type = $1 ORDER BY t.executed_at DESC, t.sequence DESC LIMIT 1)
        FROM markets m WHERE m.certificate_type = $1
        """;

    /// <summary>Benchmarks compare against a batch that reads no market row: nothing is halted or limited.</summary>
    public static MarketRules Unchecked(CertificateType certificate) =>
        new(certificate.Value, false, null, new RiskLimits(null, null, long.MaxValue, decimal.MaxValue), null);

    /// <summary>Refuses the order when the market is halted (409) or a limit is broken (422); changes nothing.</summary>
    /// <param name="lastPrice">The last trade price at this order's turn: earlier orders of the batch may have traded.</param>
    public void Admit(OrderTerms terms, decimal? lastPrice)
    {
        if (Halted)
        {
            throw Market.HaltedRefusal(CertificateType, Reason);
        }

        if (Limits.Violation(terms.Price.Value, terms.Quantity.Value, lastPrice) is { } violation)
        {
            throw DomainException.Validation(violation);
        }
    }

    public static async Task<MarketRules> ReadAsync(Npgsql.NpgsqlDataReader reader, CertificateType certificate)
    {
        // The migration seeds a row per instrument; a missing row would be a broken database, never "no limits".
        if (!await reader.ReadAsync(CancellationToken.None))
        {
            throw new InvalidOperationException($"The markets table has no row for {certificate}.");
        }

        var limits = new RiskLimits(reader.IsDBNull(2) ? null : reader.GetDecimal(2), reader.IsDBNull(3) ? null : reader.GetDecimal(3), reader.GetInt64(4), reader.GetDecimal(5));
        return new MarketRules(
            certificate.Value,
            reader.GetString(0) == MarketStates.Halted,
            reader.IsDBNull(1) ? null : reader.GetString(1),
            limits,
            reader.IsDBNull(6) ? null : reader.GetDecimal(6));
    }
}
