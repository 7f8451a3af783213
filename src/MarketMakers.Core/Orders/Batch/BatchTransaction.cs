using System.Diagnostics;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>The COMMIT itself failed: the batch may or may not be stored.</summary>
internal sealed class CommitUncertainException(Exception inner) : Exception("The batch's commit failed.", inner);

/// <summary>
/// One attempt at a batch of placements of one certificate type (orders with their ticket ids): one transaction in
/// two round trips. First BEGIN, the instrument lock, the reachable book, every balance row the batch can touch
/// (locked) and reserved identity values (<see cref="OrderBatchReader"/>); then, after each order is admitted and
/// placed in memory in arrival order (a refused order changes nothing and gets its FAILED ticket in the same
/// transaction), every insert and update and the COMMIT (<see cref="OrderBatchWriter"/>). Callers hear back only
/// after the COMMIT. Any failure is thrown, with nobody answered, for <see cref="BatchRecovery"/>; a batch of one
/// order is the single-order attempt recovery uses. See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal sealed class BatchTransaction(IDbContextFactory<MarketMakersDbContext> dbFactory, ILogger logger, bool marketChecks = true)
{
    /// <summary>Returns whether any order was placed; throws, answering nobody, when the batch did not commit.</summary>
    public async Task<bool> RunAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch, TicketIdPool tradeIds)
    {
        var none = CancellationToken.None;
        var started = Stopwatch.GetTimestamp();
        var ledgerRows = new List<AssetTransaction>();
        await using var db = await dbFactory.CreateDbContextAsync(none);
        // The transaction is begun and committed by the batch's own round trips (BEGIN with the reads, COMMIT with the
        // writes), so EF must never open one of its own on this connection.
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        await db.Database.OpenConnectionAsync(none);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var items = batch.Select(p => new BatchItem(p, new ActionScope(db, p.Ticket, p.Draft, p.Context, tradeIds) { LedgerSink = ledgerRows })).ToList();
        var committed = false;
        var (readMs, writeMs) = (0.0, 0.0);
        try
        {
            foreach (var item in items.Where(i => i.Order.CancellationToken.IsCancellationRequested))
            {
                item.Reject(TicketStore.Unexpected(new OperationCanceledException(), item.Order.CancellationToken));
            }

            var readStarted = Stopwatch.GetTimestamp();
            var read = await ReadAsync(connection, certificate, [.. items.Where(i => i.IsOpen).Select(i => i.Order)]);
            readMs = Stopwatch.GetElapsedTime(readStarted).TotalMilliseconds;
            BatchAdmission.ResolveTraders(items, read.Traders);
            await BatchAdmission.ClaimKeysAsync(db, items);
            await BatchAdmission.CheckMarketMakersAsync(db, items, read.Parties);

            var state = new BatchState(read.Candidates, read.Balances, read.Parties) { LastPrice = read.Market.LastPrice };
            foreach (var item in items.Where(i => i.IsOpen))
            {
                // Arrival order is time priority: each order sees the book, balances and last price the orders before
                // it left. The halt and the limits are checked here, in memory: no round trip of their own.
                try
                {
                    read.Market.Admit(item.Order.Spec, state.LastPrice);
                    item.Placed(await OrderPlacement.PlaceAsync(item.Scope, item.Order, state));
                }
                catch (DomainException rejection)
                {
                    item.Reject(rejection);
                }
            }

            await read.Ids.AssignAsync(connection, state.NewOrders, state.NewTrades, ledgerRows);
            var records = new List<Ticket>();
            foreach (var item in items)
            {
                await item.RecordAsync(db, records);
            }

            var writeStarted = Stopwatch.GetTimestamp();
            try
            {
                await OrderBatchWriter.WriteAndCommitAsync(
                    connection, state.NewOrders, state.NewTrades, ledgerRows, records, state.ChangedBalances(), state.ChangedRestingOrders());
                committed = true;
                writeMs = Stopwatch.GetElapsedTime(writeStarted).TotalMilliseconds;
            }
            catch (Exception ex) when (ex is not PostgresException)
            {
                // Perhaps sent, but no answer: the COMMIT may or may not have run.
                throw new CommitUncertainException(ex);
            }
        }
        finally
        {
            // Always safe: after a COMMIT that did run, ROLLBACK only draws a warning; on a broken connection it fails quietly.
            if (!committed)
            {
                await PipelinedRollback.RunAsync(connection, logger, "a failed order batch");
            }
        }

        items.ForEach(i => i.Complete());
        // The code as text, as the tag was before the value types: listeners and dashboards match it against "CEA"/"EUA".
        var tag = new KeyValuePair<string, object?>("certificate_type", certificate.Value);
        OrderMetrics.BatchSize.Record(batch.Count, tag);
        OrderMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        OrderMetrics.BatchReadDuration.Record(readMs, tag);
        OrderMetrics.BatchWriteDuration.Record(writeMs, tag);
        return items.Any(i => i.Result is not null);
    }

    /// <summary>The first round trip, for the orders still open (a cancelled caller's order is not read for).</summary>
    private Task<BatchRead> ReadAsync(NpgsqlConnection connection, CertificateType certificate, IReadOnlyList<PendingOrder> live) =>
        OrderBatchReader.ReadAsync(
            connection,
            certificate,
            [.. live.Select(p => p.Spec)],
            [.. live.Where(p => p.TraderUserId is null).Select(p => p.HolderId)],
            [.. live.Where(p => p.TraderUserId is not null).Select(p => p.TraderUserId!.Value)],
            live.Count,
            marketChecks);
}
