using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// One ladder replace as one transaction under the instrument lock, built from the order batch's parts (ADR 0009):
/// round trip 1 begins, takes the lock and reads the Market Maker's row FOR SHARE (a deactivation waits, or is seen) and
/// its open orders on the instrument; round trip 2 is the batch's read (market, reachable book, locked
/// balances, reserved ids); everything is then decided in memory — the old quotes cancelled and released, each level
/// admitted and placed with the pure engine, trading as a taker where it crosses — and the last round trip writes it all
/// with the COMMIT. Any refusal throws before a single byte is written: the caller rolls back and nothing changed.
/// </summary>
internal sealed class QuoteTransaction(MarketMakersDbContext db, NpgsqlConnection connection, ReplaceQuotes command, ActionScope scope, TicketIdPool ids)
{
    public const string CancelledByReplace = "Replaced by a new quote ladder.";

    private static readonly string OwnOrdersSql = $"""
        SELECT {BatchTables.Orders.SelectList()} FROM orders
        WHERE market_maker_id = $1 AND certificate_type = $2 AND status IN ('OPEN', 'PARTIALLY_FILLED')
        ORDER BY sequence
        """;

    private const string MarketMakerSql = "SELECT name, owner_group, is_active FROM market_maker_clients WHERE id = $1 FOR SHARE";

    private readonly List<AssetTransaction> _ledger = scope.LedgerSink!;

    /// <summary>
    /// Decides and writes the replace; returns the result, or the stored response when the key's first request committed
    /// before (nothing written). Throws <see cref="DomainException"/> before any write.
    /// </summary>
    public async Task<(QuoteReplaceResult? Result, StoredResponse? Replay)> RunAsync(QuoteBegin begun, Action commitUncertain)
    {
        var certificate = command.CertificateType;
        var mmId = command.MarketMakerId.Value;
        var (mm, own) = begun;
        var levels = command.Levels().ToList();
        BatchRead read;
        // The levels' tickets were reserved with the replace's; a short pool is topped up while PostgreSQL answers the
        // batch read, so the lock is not held for one more round trip in a row.
        var topUp = ids.EnsureAsync(levels.Count);
        try
        {
            if (!command.IsPull && !mm.Active)
            {
                throw DomainException.Rule($"Market Maker {mm.Name} is not active.");
            }

            if (command.Idempotency is { } key && await IdempotencyStore.ClaimAsync(db, key, scope.TicketId, CancellationToken.None) is { } replay)
            {
                return (null, replay);
            }

            read = await OrderBatchReader.ReadAsync(
                connection, certificate, [.. levels.Select(l => l.Terms)], [mmId], [], levels.Count,
                continuation: new BatchContinuation(
                    own.Where(o => !o.IsBuy).Sum(o => o.RemainingQuantity), own.Where(o => o.IsBuy).Sum(o => o.RemainingQuantity)));
        }
        finally
        {
            // The pool is not thread-safe: nothing takes an id before the top-up has landed.
            await topUp;
        }

        if (!command.IsPull && read.Market.Halted)
        {
            throw Risk.Market.HaltedRefusal(certificate.Value, read.Market.Reason);
        }

        read.Parties[mmId] = new TradingParty(mm.Name, mm.OwnerGroup);
        var known = read.Candidates.Select(o => o.Id).ToHashSet();
        var state = new BatchState(read.Candidates.Concat(own.Where(o => !known.Contains(o.Id))), read.Balances, read.Parties) { LastPrice = read.Market.LastPrice };
        var cancelled = CancelOwn(scope, state, [.. own.Select(o => state.Orders[o.Id])]);
        var placed = new List<(ActionScope Scope, Func<PlacedOrder> Finish)>();
        foreach (var (name, terms) in levels)
        {
            placed.Add(await PlaceLevelAsync(state, read, name, terms));
        }

        await read.Ids.AssignAsync(connection, state.NewOrders, state.NewTrades, _ledger);
        var orders = placed.Select(p => p.Finish().Order).ToList();
        var result = new QuoteReplaceResult(orders, cancelled.Count, [.. cancelled.Select(c => c.Id)]);
        scope.Draft.Before = new { orders = cancelled.Select(c => c.Before) };
        scope.Draft.After = new
        {
            orders = orders.Select(o => new { o.Id, o.Side, o.Price, o.Quantity, o.FilledQuantity, o.Status, o.TicketId }),
            cancelled_order_ids = result.CancelledOrderIds,
            cancelled = cancelled.Select(c => c.After),
        };
        scope.Draft.Response = result;
        await WriteAsync(state, placed, result, commitUncertain);
        return (result, null);
    }

    /// <summary>
    /// Round trip 1: BEGIN, the instrument lock, the Market Maker's row FOR SHARE (a deactivation waits for the replace, or
    /// is seen by it) and its open orders on the instrument that the ladder replaces.
    /// </summary>
    public static async Task<QuoteBegin> BeginAsync(NpgsqlConnection connection, ReplaceQuotes command)
    {
        var mmId = command.MarketMakerId.Value;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(OrderBatchWriter.Command(InstrumentLock.Sql, command.CertificateType.LockKey));
        batch.BatchCommands.Add(OrderBatchWriter.Command(MarketMakerSql, mmId));
        batch.BatchCommands.Add(OrderBatchWriter.Command(OwnOrdersSql, mmId, command.CertificateType.Value));
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        await reader.NextResultAsync(CancellationToken.None); // past the lock's row
        var mm = await reader.ReadAsync(CancellationToken.None)
            ? new QuotingMarketMaker(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetBoolean(2))
            : throw DomainException.NotFound($"Market Maker {mmId} not found.");
        await reader.NextResultAsync(CancellationToken.None);
        var own = new List<Order>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            own.Add(BatchTables.Orders.Read(reader));
        }

        return new QuoteBegin(mm, own);
    }

    /// <summary>
    /// Each old quote leaves the book and releases its lock under the replace's own ticket: replacing quotes is one
    /// routine act of the desk, many times a day, so the audit log holds it once (the cancelled orders before, their
    /// release rows after) instead of a cancel ticket per order, which would double the replace's write.
    /// </summary>
    private static List<(Guid Id, object Before, object After)> CancelOwn(ActionScope scope, BatchState state, List<Order> own)
    {
        var cancelled = new List<(Guid, object, object)>(own.Count);
        foreach (var order in own)
        {
            state.Book.Cancel(order.Id);
            var before = order.Snapshot();
            var after = OrderCancellation.CancelAndRelease(scope, order, state.Balances[(order.HolderId, order.LockedAsset)], CancelledByReplace, scope.TicketId);
            cancelled.Add((order.Id, before, after));
        }

        return cancelled;
    }

    /// <summary>One level as an MM order of its own (MM_ORDER_PLACED ticket, linked to the replace's); a refusal names the level.</summary>
    private async Task<(ActionScope, Func<PlacedOrder>)> PlaceLevelAsync(BatchState state, BatchRead read, string name, OrderTerms terms)
    {
        var mmId = command.MarketMakerId.Value;
        var draft = PlaceMarketMakerOrder.Ticket(mmId, terms.Audit(mmId));
        draft.Tags.Add("quotes");
        draft.RelatedTicketIds.Add(scope.TicketId);
        var ticket = await ids.NextAsync();
        var pending = new PendingOrder(draft, scope.Context, mmId, mmId, terms, null, CancellationToken.None);
        pending.AssignTicket(ticket);
        var level = new ActionScope(db, ticket, draft, scope.Context, ids) { LedgerSink = _ledger };
        try
        {
            read.Market.Admit(terms, state.LastPrice);
            var finish = await OrderPlacement.PlaceAsync(level, pending, state);
            scope.Draft.RelatedTicketIds.Add(ticket.Value);
            return (level, finish);
        }
        catch (DomainException ex)
        {
            throw ReplaceQuotes.Level(name, ex);
        }
    }

    /// <summary>The last round trip: every row and ticket of the replace, then COMMIT.</summary>
    private async Task WriteAsync(BatchState state, List<(ActionScope Scope, Func<PlacedOrder> Finish)> placed, QuoteReplaceResult result, Action commitUncertain)
    {
        var records = new List<Ticket> { Ticket.Create(scope.Draft, scope.Ticket, TicketStatus.Success, scope.Context) };
        records.AddRange(scope.ExtraTickets.Select(t => Ticket.Create(t.Draft, t.Id, TicketStatus.Success, scope.Context)));
        foreach (var (level, _) in placed)
        {
            records.Add(Ticket.Create(level.Draft, level.Ticket, TicketStatus.Success, scope.Context));
            records.AddRange(level.ExtraTickets.Select(t => Ticket.Create(t.Draft, t.Id, TicketStatus.Success, scope.Context)));
        }

        if (command.Idempotency is { } key)
        {
            await IdempotencyStore.CompleteAsync(db, key, result, scope.TicketId, CancellationToken.None);
        }

        try
        {
            await OrderBatchWriter.WriteAndCommitAsync(
                connection, state.NewOrders, state.NewTrades, _ledger, records, state.ChangedBalances(), state.ChangedRestingOrders());
        }
        catch (Exception ex) when (ex is not PostgresException)
        {
            // Perhaps sent, but no answer: the COMMIT may or may not have run.
            commitUncertain();
            throw;
        }
    }
}

/// <summary>What the replace needs of the Market Maker's row.</summary>
internal sealed record QuotingMarketMaker(string Name, string? OwnerGroup, bool Active);

/// <summary>What round trip 1 read under the instrument lock: the Market Maker and its open orders on the instrument.</summary>
internal sealed record QuoteBegin(QuotingMarketMaker Mm, List<Order> Own);
