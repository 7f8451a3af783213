using System.Collections.Concurrent;
using System.Diagnostics;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Runs one batch of placements of one certificate type as one transaction in two round trips: first BEGIN, the
/// instrument lock, the reachable book, every balance row the batch can touch (locked) and reserved identity values
/// (<see cref="OrderBatchReader"/>); then, after each order is placed in memory in arrival order (a refused order
/// changes nothing and gets its FAILED ticket in the same transaction), every insert and update and the COMMIT
/// (<see cref="OrderBatchWriter"/>). Every order's caller hears back only after the COMMIT.
/// See docs/decisions/0009-durable-throughput.md.
/// </summary>
internal sealed class OrderBatchProcessor(
    IDbContextFactory<MarketMakersDbContext> dbFactory,
    ITicketIdAllocator ids,
    FailureRecorder failures,
    TimeProvider clock,
    ILogger<OrderBatchProcessor> logger)
{
    // One per certificate type: each is used only by that type's single drainer.
    private readonly ConcurrentDictionary<CertificateType, TicketIdPool> _pools = new();

    private sealed record Outcome(Func<PlacedOrder>? Finish = null, DomainException? Rejection = null, StoredResponse? Replay = null)
    {
        public PlacedOrder? Result { get; set; }
    }

    /// <summary>The COMMIT itself failed: the batch may or may not be stored.</summary>
    private sealed class CommitUncertainException(Exception inner) : Exception("The batch's commit failed.", inner);

    /// <summary>Completes every order of the batch and never throws. Returns whether any order was placed.</summary>
    public async Task<bool> RunAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch)
    {
        batch = await AssignTicketsAsync(batch, _pools.GetOrAdd(certificate, _ => new TicketIdPool(ids, clock)));
        if (batch.Count == 0)
        {
            return false;
        }

        try
        {
            return await RunBatchAsync(certificate, batch);
        }
        catch (Exception ex)
        {
            return await RecoverAsync(certificate, batch, ex);
        }
    }

    private async Task<bool> RunBatchAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch)
    {
        var none = CancellationToken.None;
        var started = Stopwatch.GetTimestamp();
        var pool = _pools[certificate];
        var ledgerRows = new List<AssetTransaction>();
        var outcomes = new Outcome?[batch.Count];
        var claimed = new bool[batch.Count];
        await using var db = await dbFactory.CreateDbContextAsync(none);
        // The transaction is begun and committed by the batch's own round trips (BEGIN with the reads, COMMIT with the
        // writes), so EF must never open one of its own on this connection.
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        await db.Database.OpenConnectionAsync(none);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var scopes = batch.Select(p => new ActionScope(db, p.Ticket, p.Draft, p.Context, pool) { LedgerSink = ledgerRows }).ToArray();
        var committed = false;
        var (readMs, writeMs) = (0.0, 0.0);
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i].CancellationToken.IsCancellationRequested)
                {
                    outcomes[i] = new Outcome(Rejection: TicketStore.Unexpected(new OperationCanceledException(), batch[i].CancellationToken));
                }
            }

            var live = Enumerable.Range(0, batch.Count).Where(i => outcomes[i] is null).Select(i => batch[i]).ToList();
            var readStarted = Stopwatch.GetTimestamp();
            var read = await OrderBatchReader.ReadAsync(
                connection,
                certificate,
                [.. live.Select(p => p.Spec)],
                [.. live.Where(p => p.TraderUserId is null).Select(p => p.HolderId)],
                [.. live.Where(p => p.TraderUserId is not null).Select(p => p.TraderUserId!.Value)],
                live.Count);
            readMs = Stopwatch.GetElapsedTime(readStarted).TotalMilliseconds;
            ResolveTraders(batch, outcomes, read.Traders);
            await ClaimKeysAsync(db, batch, outcomes, claimed);
            await CheckMarketMakersAsync(db, batch, outcomes);

            var state = new BatchState(read.Candidates, read.Balances);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i] is not null)
                {
                    continue;
                }

                try
                {
                    outcomes[i] = new Outcome(Finish: await OrderPlacement.PlaceAsync(scopes[i], batch[i], state));
                }
                catch (DomainException rejection)
                {
                    outcomes[i] = new Outcome(Rejection: rejection);
                }
            }

            await read.Ids.AssignAsync(connection, state.NewOrders, state.NewTrades, ledgerRows);
            var records = new List<Ticket>();
            for (var i = 0; i < batch.Count; i++)
            {
                await RecordAsync(db, batch[i], scopes[i], outcomes[i]!, claimed[i], records);
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
                await RollBackQuietlyAsync(connection);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Complete(batch[i], outcomes[i]!);
        }

        var tag = new KeyValuePair<string, object?>("certificate_type", certificate);
        OrderMetrics.BatchSize.Record(batch.Count, tag);
        OrderMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        OrderMetrics.BatchReadDuration.Record(readMs, tag);
        OrderMetrics.BatchWriteDuration.Record(writeMs, tag);

        return outcomes.Any(o => o!.Result is not null);
    }

    /// <summary>A failed batch must not hand its connection back to the pool inside a transaction.</summary>
    private async Task RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "ROLLBACK of a failed order batch did not run (the connection is gone)");
        }
    }

    /// <summary>
    /// One allocation for the whole batch, outside the instrument lock. Without ids not even FAILED tickets can be
    /// written, so those orders fail with nothing changed; returns the orders that go on.
    /// </summary>
    private async Task<IReadOnlyList<PendingOrder>> AssignTicketsAsync(IReadOnlyList<PendingOrder> batch, TicketIdPool tradeIds)
    {
        var waiting = batch.Where(p => !p.HasTicket).ToList();
        if (waiting.Count == 0)
        {
            return batch;
        }

        try
        {
            // The same call tops up the trade-ticket pool to one id per order, so a usual batch (fewer fills than
            // orders) makes no Redis round trip while it holds the instrument lock.
            var topUp = Math.Max(0, batch.Count - tradeIds.Available);
            var numbers = await ids.NextManyAsync(waiting.Count + topUp);
            for (var i = 0; i < waiting.Count; i++)
            {
                waiting[i].AssignTicket(numbers[i]);
            }

            tradeIds.Add(numbers.Skip(waiting.Count));

            return batch;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "No ticket ids for a {Count}-order batch", waiting.Count);
            foreach (var p in waiting)
            {
                p.Completion.TrySetException(TicketStore.DatabaseUnavailable(ex));
            }

            return batch.Where(p => p.HasTicket).ToList();
        }
    }

    /// <summary>A client order trades for its user's entity, and only while the user is FUNDED (read under the lock).</summary>
    private static void ResolveTraders(IReadOnlyList<PendingOrder> batch, Outcome?[] outcomes, Dictionary<Guid, (Guid? EntityId, bool Funded)> traders)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is not null || batch[i].TraderUserId is not { } userId)
            {
                continue;
            }

            try
            {
                batch[i].AssignHolder(TraderLookup.TradingEntity(userId, traders.TryGetValue(userId, out var row) ? row : null));
            }
            catch (DomainException rejection)
            {
                outcomes[i] = new Outcome(Rejection: rejection);
            }
        }
    }

    /// <summary>Claims each keyed order's Idempotency-Key in this transaction (see ADR 0008); a replay or conflict takes the order out.</summary>
    private static async Task ClaimKeysAsync(MarketMakersDbContext db, IReadOnlyList<PendingOrder> batch, Outcome?[] outcomes, bool[] claimed)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is not null || batch[i].Idempotency is not { } key)
            {
                continue;
            }

            try
            {
                if (await IdempotencyStore.ClaimAsync(db, key, batch[i].Ticket.Value, CancellationToken.None) is { } replay)
                {
                    outcomes[i] = new Outcome(Replay: replay);
                }
                else
                {
                    claimed[i] = true;
                }
            }
            catch (DomainException conflict)
            {
                outcomes[i] = new Outcome(Rejection: conflict);
            }
        }
    }

    /// <summary>FOR SHARE: a concurrent deactivation waits for this batch, or the batch sees it.</summary>
    private static async Task CheckMarketMakersAsync(MarketMakersDbContext db, IReadOnlyList<PendingOrder> batch, Outcome?[] outcomes)
    {
        var mmIds = batch.Where((p, i) => outcomes[i] is null && p.MarketMakerId is not null).Select(p => p.MarketMakerId!.Value).Distinct().ToArray();
        if (mmIds.Length == 0)
        {
            return;
        }

        var found = await db.MarketMakers
            .FromSql($"SELECT * FROM market_maker_clients WHERE id = ANY({mmIds}) ORDER BY id FOR SHARE")
            .AsNoTracking()
            .ToDictionaryAsync(m => m.Id, CancellationToken.None);
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is not null || batch[i].MarketMakerId is not { } mmId)
            {
                continue;
            }

            try
            {
                var mm = found.GetValueOrDefault(mmId) ?? throw DomainException.NotFound($"Market Maker {mmId} not found.");
                mm.EnsureActive();
            }
            catch (DomainException rejection)
            {
                outcomes[i] = new Outcome(Rejection: rejection);
            }
        }
    }

    /// <summary>Adds the order's tickets (and its key's stored response) to the batch's transaction.</summary>
    private static async Task RecordAsync(MarketMakersDbContext db, PendingOrder order, ActionScope scope, Outcome outcome, bool claimed, List<Ticket> records)
    {
        if (outcome.Replay is not null)
        {
            return;
        }

        if (outcome.Rejection is { } rejection)
        {
            if (claimed)
            {
                // A refused order does not use up its key: the client may retry once the cause is fixed.
                await IdempotencyStore.ReleaseAsync(db, order.Idempotency!);
            }

            records.Add(Ticket.Create(TicketStore.FailedDraft(order.Draft, rejection), order.Ticket, TicketStatus.Failed, order.Context));
            return;
        }

        var result = outcome.Finish!();
        outcome.Result = result;
        records.Add(Ticket.Create(order.Draft, order.Ticket, TicketStatus.Success, order.Context));
        foreach (var (id, extra) in scope.ExtraTickets)
        {
            records.Add(Ticket.Create(extra, id, TicketStatus.Success, order.Context));
        }

        if (order.Idempotency is { } key)
        {
            await IdempotencyStore.CompleteAsync(db, key, result, order.Ticket.Value, CancellationToken.None);
        }
    }

    private static void Complete(PendingOrder order, Outcome outcome)
    {
        if (outcome.Replay is { } replay)
        {
            order.Completion.TrySetResult(Audited<PlacedOrder>.Replayed(replay));
        }
        else if (outcome.Rejection is { } rejection)
        {
            order.Completion.TrySetException(rejection.WithTicket(order.Ticket.Value));
        }
        else
        {
            order.Completion.TrySetResult(new Audited<PlacedOrder>(outcome.Result!, order.Ticket.Value));
        }
    }

    /// <summary>
    /// The batch did not commit normally. A server-side error of one order (a constraint, a deadlock, an order that
    /// broke mid-way) must not take the others down: they are placed again one by one. A lost connection fails them
    /// all, each with its FAILED ticket when the database takes it.
    /// </summary>
    private async Task<bool> RecoverAsync(CertificateType certificate, IReadOnlyList<PendingOrder> batch, Exception ex)
    {
        var actions = batch.Select(p => new FailedAction(p.Draft, p.Ticket, p.Context, p.CancellationToken)).ToList();
        var landed = ex is CommitUncertainException && await failures.AnyStoredAsync(actions);
        if (!landed && batch.Count > 1 && !IsConnectionFailure(ex))
        {
            logger.LogWarning(ex, "A {Certificate} batch of {Count} failed; placing its orders one by one", certificate, batch.Count);
            var any = false;
            foreach (var p in batch)
            {
                any |= await RunAsync(certificate, [p]);
            }

            return any;
        }

        var cause = ex is CommitUncertainException or BatchPoisonedException ? ex.InnerException! : ex;
        var outcomes = await failures.RecordAsync(actions, cause, ex is CommitUncertainException, "order");
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetException(outcomes[i]);
        }

        return landed;
    }

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
