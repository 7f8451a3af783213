using System.Data.Common;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// The baseline's side of Core's <see cref="ReservedIds"/>: the sequence values for orders, trades and ledger rows
/// that the first round trip reserved (one row of three bigint[] arrays, <see cref="ReservedIds.Sql"/>), handed out
/// in creation order so that the tickets can name them before the single write round trip.
/// </summary>
internal sealed class RawSqlReservedIds
{
    private readonly List<long> _orders = [];
    private readonly List<long> _trades = [];
    private readonly List<long> _ledger = [];

    /// <summary>Reads the reservation's row (the reader positioned on its result set).</summary>
    public static async Task<RawSqlReservedIds> ReadAsync(DbDataReader reader)
    {
        var ids = new RawSqlReservedIds();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The id reservation returned no row.");
        }

        ids.Add(reader);
        return ids;
    }

    /// <summary>
    /// Sets every new row's sequence or id from the reserved values, in creation order. A batch that outgrew
    /// <see cref="ReservedIds.Command"/>'s bound first reserves the rest with the same statement, as the app does; those
    /// values are taken later, so they are higher and creation order stays ascending order.
    /// </summary>
    public async Task AssignAsync(NpgsqlConnection conn, List<RawOrder> orders, List<RawTrade> trades, List<RawLedger> ledger)
    {
        int[] missing = [orders.Count - _orders.Count, trades.Count - _trades.Count, ledger.Count - _ledger.Count];
        if (missing.Any(m => m > 0))
        {
            await using var cmd = new NpgsqlCommand(ReservedIds.Sql, conn);
            foreach (var count in missing)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(0, count) });
            }

            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            Add(reader);
        }

        for (var i = 0; i < orders.Count; i++)
        {
            orders[i].Sequence = _orders[i];
        }

        for (var i = 0; i < trades.Count; i++)
        {
            trades[i].Sequence = _trades[i];
        }

        for (var i = 0; i < ledger.Count; i++)
        {
            ledger[i].Id = _ledger[i];
        }
    }

    private void Add(DbDataReader reader)
    {
        _orders.AddRange(reader.GetFieldValue<long[]>(0));
        _trades.AddRange(reader.GetFieldValue<long[]>(1));
        _ledger.AddRange(reader.GetFieldValue<long[]>(2));
    }
}
