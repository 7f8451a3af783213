using MarketMakers.Core.Persistence;
using Npgsql;

namespace MarketMakers.Core.Audit;

/// <summary>
/// The durable side of the ticket counter. <c>ticket_counters.reserved_upto</c> is, at every moment, at least
/// every ticket number ever handed out for that year, whether it came from Redis or from this fallback.
/// Reservations commit on their own connection, so a rolled-back business transaction never un-reserves a number.
/// </summary>
public sealed class TicketCounterStore(NpgsqlDataSource dataSource)
{
    // GREATEST(.., max(number)) re-seeds from the stored tickets, so a restored or hand-edited counter
    // row can never fall behind them. The max() is served by the (year, number) unique index.
    private const string ReserveSql = """
        INSERT INTO ticket_counters AS c (year, reserved_upto)
        VALUES (@year, COALESCE((SELECT max(number) FROM ticket_logs WHERE year = @year), 0) + @count)
        ON CONFLICT (year) DO UPDATE
            SET reserved_upto = GREATEST(c.reserved_upto,
                COALESCE((SELECT max(number) FROM ticket_logs WHERE year = @year), 0)) + @count
        RETURNING reserved_upto
        """;

    /// <summary>Reserves <paramref name="count"/> numbers and returns the highest; the block is (result − count, result].</summary>
    public async Task<long> ReserveAsync(int year, int count, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionRefusals.OpenAsync(dataSource, cancellationToken);
        await using var cmd = new NpgsqlCommand(ReserveSql, connection);
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.AddWithValue("count", (long)count);
        var result = await cmd.ExecuteScalarAsync(cancellationToken);
        return (long)result!;
    }
}
