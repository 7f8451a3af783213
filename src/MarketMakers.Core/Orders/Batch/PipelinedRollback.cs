using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The pipelined paths (order batch, quote replace) send BEGIN themselves, so EF does not roll back for them: a refused
/// or failed one must not hand its connection back to the pool inside a transaction.
/// </summary>
internal static class PipelinedRollback
{
    public static async Task RunAsync(NpgsqlConnection connection, ILogger logger, string what)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "ROLLBACK of {What} did not run (the connection is gone)", what);
        }
    }
}
