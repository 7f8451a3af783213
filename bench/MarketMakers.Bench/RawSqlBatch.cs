using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using Npgsql;

namespace MarketMakers.Bench;

/// <summary>
/// One batch of the baseline as one transaction in the two round trips <c>BatchTransaction.RunAsync</c>
/// sends for this workload: [BEGIN, <c>pg_advisory_xact_lock</c>, the candidate read, one FOR UPDATE of every balance
/// row the batch can touch, the id reservation] (<see cref="RawSqlReads"/>); matching and settlement in memory, the
/// reserved sequences and ids assigned in creation order, the tickets rendered with them; then [every insert, the
/// tickets, the updates, COMMIT] (<see cref="RawSqlWrites"/>). Any failure before the COMMIT went out, or an error
/// the server reported for the writes, sends ROLLBACK before the connection goes back to the pool.
/// </summary>
internal sealed class RawSqlBatch(NpgsqlConnection conn, ITicketIdAllocator tradeIds, RawTicketJson json, Guid marketMakerId)
{
    private const string Cert = "EUA";
    private const string Eur = "EUR";
    private const decimal BuyPrice = 100m;
    private const decimal SellPrice = 200m;

    private readonly Dictionary<(Guid HolderId, string Asset), RawBalance> _balances = [];
    private readonly List<RawOrder> _asks = [];
    private readonly List<RawOrder> _bids = [];
    private readonly List<RawOrder> _newOrders = [];
    private readonly List<RawTrade> _trades = [];
    private readonly List<RawLedger> _ledger = [];

    /// <summary>Returns once the batch has committed; throws if it did not (or, for a lost COMMIT, may not have).</summary>
    public async Task RunAsync(IReadOnlyList<RawPending> batch)
    {
        var finished = false;
        try
        {
            var ids = await RawSqlReads.ReadAsync(conn, Cert, batch, BuyPrice, SellPrice, _asks, _bids, _balances);
            foreach (var p in batch)
            {
                await PlaceAsync(p);
            }

            // Core's reservation, with the baseline's own rows: creation order, topped up as the app does.
            await ids.EnsureAsync(conn, _newOrders.Count, _trades.Count, _ledger.Count);
            for (var i = 0; i < _newOrders.Count; i++)
            {
                _newOrders[i].Sequence = ids.Orders[i];
            }

            for (var i = 0; i < _trades.Count; i++)
            {
                _trades[i].Sequence = ids.Trades[i];
            }

            for (var i = 0; i < _ledger.Count; i++)
            {
                _ledger[i].Id = ids.Ledger[i];
            }
            var tickets = new List<RawTicketRow>();
            foreach (var p in batch)
            {
                tickets.Add(json.OrderTicket(p));
                tickets.AddRange(p.Trades.Select(t => json.TradeTicket(p, t)));
            }

            var changedBalances = _balances.Where(kv => kv.Value.Changed).Select(kv => (kv.Key.HolderId, kv.Key.Asset, kv.Value)).ToList();
            var changedResting = _asks.Concat(_bids).Where(o => (o.Filled, o.Status) != o.Loaded).ToList();
            try
            {
                await RawSqlWrites.WriteAndCommitAsync(conn, _newOrders, _trades, _ledger, tickets, changedBalances, changedResting);
                finished = true;
            }
            catch (Exception ex) when (ex is not PostgresException)
            {
                // As the app: not an error the server reported, so the COMMIT may have run; a ROLLBACK would claim it did not.
                finished = true;
                throw;
            }
        }
        finally
        {
            if (!finished)
            {
                await RollBackQuietlyAsync();
            }
        }
    }

    /// <summary>A failed statement leaves the transaction aborted; it must end before the connection is pooled again.</summary>
    private async Task RollBackQuietlyAsync()
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", conn);
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception)
        {
            // The connection is gone: so is its transaction. The batch's own error is what the callers hear.
        }
    }

    /// <summary>
    /// The order's lock (TRADE_DEBIT on its own ticket), then matching. Matching is minimal because the workload
    /// allows nothing else: a BUY @ 100 can only reach asks at or below 100 (the MM's deep ask); the batch's own
    /// SELLs rest at 200, above every BUY, and no bid ever reaches 200, so a SELL never crosses.
    /// </summary>
    private async Task PlaceAsync(RawPending p)
    {
        var now = p.Ticket.IssuedAt;
        var price = p.Buy ? BuyPrice : SellPrice;
        var order = new RawOrder
        {
            Id = Guid.CreateVersion7(), HolderId = p.HolderId, Buy = p.Buy, Price = price, Quantity = 1,
            TicketId = p.Ticket.Value, CreatedAt = now, UpdatedAt = now,
        };
        p.Order = order;
        p.Before = (View(p.HolderId, Cert), View(p.HolderId, Eur));

        var lockAsset = p.Buy ? Eur : Cert;
        var lockAmount = p.Buy ? price * order.Quantity : order.Quantity;
        var row = _balances.GetValueOrDefault((p.HolderId, lockAsset));
        if (row is null || row.Available < lockAmount)
        {
            // The app refuses just this order with a FAILED ticket; the bench's traders are funded far beyond this.
            throw new InvalidOperationException($"Holder {p.HolderId} lacks {lockAmount} {lockAsset}.");
        }

        p.LockEffect = Post(p.HolderId, lockAsset, row, "TRADE_DEBIT", -lockAmount, lockAmount, Describe(order, "lock"), p.Ticket.Value, p.UserId, now);
        _newOrders.Add(order);

        if (!p.Buy)
        {
            if (_bids.Any(b => b.Remaining > 0 && b.Price >= price))
            {
                throw new NotSupportedException("The baseline only supports the bench workload: a SELL @ 200 must rest.");
            }
        }
        else
        {
            foreach (var ask in _asks.OrderBy(a => a.Price).ThenBy(a => a.Sequence))
            {
                if (order.Remaining == 0 || ask.Price > price)
                {
                    break;
                }

                if (ask.Remaining > 0)
                {
                    // Only the MM's ask: no self-trade prevention is needed, and the trade's market_maker_id is the MM.
                    if (ask.HolderId != marketMakerId)
                    {
                        throw new NotSupportedException("The baseline only supports the bench workload: a BUY crosses the MM's ask.");
                    }

                    await FillAsync(p, order, ask, Math.Min(order.Remaining, ask.Remaining), now);
                }
            }
        }

        p.After = (order.Filled, order.Status);
    }

    /// <summary>
    /// SPEC §3 fill rows, as OrderPlacement.Settle: the seller's certificates leave locked and the proceeds are
    /// credited; the buyer's EUR leaves locked, any price improvement returns to available, the certificates are credited.
    /// </summary>
    private async Task FillAsync(RawPending p, RawOrder buy, RawOrder sell, long quantity, DateTimeOffset now)
    {
        var ticket = await tradeIds.NextAsync();
        await RawSqlReads.EnsureAsync(conn, now, [(sell.HolderId, Eur), (buy.HolderId, Cert)], _balances);
        var trade = new RawTrade
        {
            Id = Guid.CreateVersion7(), BuyOrder = buy, SellOrder = sell, IncomingIsBuy = true, Ticket = ticket, Price = sell.Price,
            Quantity = quantity, ExecutedAt = now, BuyBefore = (buy.Filled, buy.Status), SellBefore = (sell.Filled, sell.Status),
        };
        buy.Fill(quantity, now);
        sell.Fill(quantity, now);
        trade.BuyAfter = (buy.Filled, buy.Status);
        trade.SellAfter = (sell.Filled, sell.Status);
        var value = trade.Price * quantity;
        var note = string.Create(CultureInfo.InvariantCulture, $"Trade {quantity} {Cert} @ {trade.Price:0.00}");

        var sellerCert = _balances[(sell.HolderId, Cert)];
        var certBefore = Move(sellerCert, 0m, -quantity, now);
        trade.Effects.Add(new RawEffect(sell.HolderId, Cert, null, 0m, sellerCert.Locked - certBefore.Locked, sellerCert.Available, sellerCert.Locked));
        trade.Effects.Add(Post(sell.HolderId, Eur, _balances[(sell.HolderId, Eur)], "TRADE_CREDIT", value, 0m, note + " (proceeds)", ticket.Value, p.UserId, now));

        var buyerEur = _balances[(buy.HolderId, Eur)];
        var reserved = buy.Price * quantity;
        var eurBefore = Move(buyerEur, 0m, -value, now);
        trade.Effects.Add(reserved > value
            ? Post(buy.HolderId, Eur, buyerEur, "TRADE_CREDIT", reserved - value, -(reserved - value), note + " (price improvement)", ticket.Value, p.UserId, now)
                with { LockedChange = -reserved }
            : new RawEffect(buy.HolderId, Eur, null, 0m, buyerEur.Locked - eurBefore.Locked, buyerEur.Available, buyerEur.Locked));
        trade.Effects.Add(Post(buy.HolderId, Cert, _balances[(buy.HolderId, Cert)], "TRADE_CREDIT", quantity, 0m, note, ticket.Value, p.UserId, now));

        _trades.Add(trade);
        p.Trades.Add(trade);
    }

    /// <summary>Moves a locked row and appends its ledger row (amount = change to available, balance_after = available).</summary>
    private RawEffect Post(
        Guid holder, string asset, RawBalance row, string type, decimal deltaAvailable, decimal deltaLocked, string notes, string ticketId, Guid userId, DateTimeOffset now)
    {
        var before = Move(row, deltaAvailable, deltaLocked, now);
        var ledger = new RawLedger(ticketId, holder, asset, type, deltaAvailable, row.Available, notes, userId, now);
        _ledger.Add(ledger);
        return new RawEffect(holder, asset, ledger, row.Available - before.Available, row.Locked - before.Locked, row.Available, row.Locked);
    }

    /// <summary>
    /// Moves a locked row and returns it as it was. Effects are after − before, as the app computes them, so the
    /// tickets carry the stored scale ("-1.00", not "-1") and are the same size as the app's.
    /// </summary>
    private static RawBalance.View Move(RawBalance row, decimal deltaAvailable, decimal deltaLocked, DateTimeOffset now)
    {
        var before = row.Now;
        row.Available += deltaAvailable;
        row.Locked += deltaLocked;
        if (row.Available < 0 || row.Locked < 0)
        {
            throw new InvalidOperationException("A balance would go negative.");
        }

        row.UpdatedAt = now;
        return before;
    }

    private RawBalance.View View(Guid holder, string asset) => _balances.GetValueOrDefault((holder, asset))?.Now ?? default;

    private static string Describe(RawOrder o, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"Order {o.Id} {o.Side} {o.Quantity} {Cert} @ {o.Price:0.00}: {what}");
}
