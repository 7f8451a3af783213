using MarketMakers.Core.Audit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// What happens to a batch that did not commit normally (see docs/decisions/0009-durable-throughput.md). A
/// server-side error of one order (a constraint, a deadlock, an order that broke mid-way) must not take the others
/// down: they are placed again one by one, each in a <see cref="BatchTransaction"/> of its own. A lost connection
/// fails them all, and an erroring COMMIT that may have landed is looked up first; both through
/// <see cref="FailureRecorder"/>, as every other audited action. Never throws; completes every order.
/// </summary>
internal sealed class BatchRecovery(BatchTransaction transaction, FailureRecorder failures, ILogger logger)
{
    /// <summary>Returns whether any order was placed, by the failed attempt (its commit landed) or by a retry.</summary>
    public async Task<bool> RecoverAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch, TicketIdPool tradeIds, Exception ex)
    {
        var landed = ex is CommitUncertainException && await failures.AnyStoredAsync(Actions(batch));
        if (landed || batch.Count == 1 || IsConnectionFailure(ex))
        {
            return await FailAllAsync(batch, ex, landed);
        }

        logger.LogWarning(ex, "A {Certificate} batch of {Count} failed; placing its orders one by one", certificate, batch.Count);
        var any = false;
        foreach (var order in batch)
        {
            any |= await PlaceAloneAsync(certificate, order, tradeIds);
        }

        return any;
    }

    /// <summary>The retry of one order: if even that fails, the order itself is the cause, and it fails alone.</summary>
    private async Task<bool> PlaceAloneAsync(CertificateType certificate, PendingOrder order, TicketIdPool tradeIds)
    {
        try
        {
            return await transaction.RunAsync(certificate, [order], tradeIds);
        }
        catch (Exception ex)
        {
            var landed = ex is CommitUncertainException && await failures.AnyStoredAsync(Actions([order]));
            return await FailAllAsync([order], ex, landed);
        }
    }

    /// <summary>Each order's caller gets its failure, with its FAILED ticket when the database takes it.</summary>
    private async Task<bool> FailAllAsync(IReadOnlyList<PendingOrder> batch, Exception ex, bool landed)
    {
        var cause = ex is CommitUncertainException or BatchPoisonedException ? ex.InnerException! : ex;
        var outcomes = await failures.RecordAsync(Actions(batch), cause, ex is CommitUncertainException, "order");
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetException(outcomes[i]);
        }

        return landed;
    }

    private static List<FailedAction> Actions(IReadOnlyList<PendingOrder> batch) =>
        [.. batch.Select(p => new FailedAction(p.Draft, p.Ticket, p.Context, p.CancellationToken))];

    /// <summary>The connection, not one order, failed: retrying order by order would only wait for the same outage N times.</summary>
    private static bool IsConnectionFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal);
                case NpgsqlException or TimeoutException or IOException:
                    return true;
            }
        }

        return false;
    }
}
