using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Matching;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Places one order inside a batch: lock its funds, match it with the pure engine, settle every fill in
/// both ledgers with a TRADE_EXECUTED ticket each, and release a remainder cancelled by self-trade prevention. Nothing
/// here talks to the database except through the batch's later writes; see docs/decisions/0009-durable-throughput.md.
/// </summary>
internal static class OrderPlacement
{
    /// <summary>
    /// Returns the finisher that renders the result and the tickets' after-state once the batch insert has assigned
    /// ledger ids and sequences. A <see cref="DomainException"/> means the order was refused and changed nothing.
    /// </summary>
    public static async Task<Func<PlacedOrder>> PlaceAsync(ActionScope scope, PendingOrder pending, BatchState state)
    {
        var draft = scope.Draft;
        var spec = pending.Spec;
        var holderId = pending.HolderId;
        var certificate = spec.CertificateType.Asset;
        var balances = state.Balances;
        var orderId = Guid.CreateVersion7();
        draft.EntityId = orderId.ToString();
        draft.Before = new
        {
            balances = new Dictionary<string, BalanceView>
            {
                [certificate.Value] = state.View(holderId, certificate),
                [Asset.Eur.Value] = state.View(holderId, Asset.Eur),
            },
        };

        // The order and its lock (TRADE_DEBIT), on the order's own ticket. The funds check in here is the only way an
        // order is refused, and it happens before anything shared changes.
        var order = Order.Place(orderId, holderId, pending.MarketMakerId, spec.CertificateType, spec.Side, spec.Price, spec.Quantity, scope.TicketId, scope.Now);
        var lockAmount = order.RemainingLock;
        var locked = balances.GetValueOrDefault((holderId, order.LockedAsset)) ?? throw Balance.Insufficient(order.LockedAsset, 0m, lockAmount);
        var lockEntry = LedgerService.Post(
            scope, locked, TransactionTypes.TradeDebit, -lockAmount, lockAmount, Describe(order, "lock"), scope.TicketId);
        try
        {
            return await MatchAndSettleAsync(scope, order, lockEntry, state);
        }
        catch (Exception ex)
        {
            throw new BatchPoisonedException(ex);
        }
    }

    private static async Task<Func<PlacedOrder>> MatchAndSettleAsync(ActionScope scope, Order order, LedgerEntry lockEntry, BatchState state)
    {
        var draft = scope.Draft;
        state.NewOrders.Add(order);
        state.Orders.Add(order.Id, order);
        List<Func<LedgerEffect>> orderEffects = [() => Effect(lockEntry)];
        var match = state.Book.Match(new IncomingOrder(
            order.Id, order.HolderId, order.Side.Engine, order.Price, order.Quantity, state.NextSequence(), state.GroupKey(order.HolderId)));

        var trades = new List<TradeView>();
        var finishTrades = new List<Action>();
        foreach (var fill in match.Fills)
        {
            var maker = state.Orders[fill.MakerOrderId];
            var (buy, sell) = order.IsBuy ? (order, maker) : (maker, order);
            var tradeId = Guid.CreateVersion7();
            var tradeDraft = new TicketDraft(ActionTypes.TradeExecuted, EntityTypes.Trade)
            {
                EntityId = tradeId.ToString(),
                MarketMakerId = sell.MarketMakerId ?? buy.MarketMakerId,
                UserId = draft.UserId,
                Request = new { incoming_order_id = order.Id, resting_order_id = maker.Id },
            };
            tradeDraft.RelatedTicketIds.AddRange([scope.TicketId, maker.TicketId]);
            tradeDraft.Tags.AddRange(["trade", order.CertificateType.Value.ToLowerInvariant()]);
            var tradeTicket = await scope.AddTicketAsync(tradeDraft);
            tradeDraft.Before = new { buy_order = buy.Snapshot(), sell_order = sell.Snapshot() };

            await state.EnsureAsync(scope, (sell.HolderId, Asset.Eur), (buy.HolderId, order.CertificateType.Asset));
            var trade = CashMarketTrade.Execute(tradeId, buy, sell, fill.Price, fill.Quantity, tradeTicket, scope.Now);
            order.Fill(fill.Quantity, scope.Now);
            maker.Fill(fill.Quantity, scope.Now);
            state.NewTrades.Add(trade);
            state.LastPrice = fill.Price;
            var effects = Settle(scope, state.Balances, buy, sell, fill.Price, fill.Quantity, tradeTicket);
            var view = TradeView.From(trade);
            var after = new { trade = view, buy_order = buy.Snapshot(), sell_order = sell.Snapshot() };
            finishTrades.Add(() => tradeDraft.After = new { after.trade, after.buy_order, after.sell_order, ledger = effects.Select(e => e()).ToList() });
            trades.Add(view);
        }

        // Self-trade or wash-trade prevention: the remainder is cancelled and its lock released, on the order's ticket.
        if (match.WasCancelled)
        {
            var release = order.RemainingLock;
            order.Cancel(PreventionMessage(match, state), scope.Now);
            var releaseEntry = LedgerService.Post(
                scope, state.Balances[(order.HolderId, order.LockedAsset)], TransactionTypes.TradeCredit, release, -release,
                Describe(order, match.CancelReason == CancelReason.WashTradePrevention ? "wash-trade prevention release" : "self-trade prevention release"),
                scope.TicketId);
            orderEffects.Add(() => Effect(releaseEntry));
        }

        // The order as it stood when its own action ended; a later order of the batch may still fill it.
        var result = OrderView.From(order);
        var snapshot = order.Snapshot();
        draft.RelatedTicketIds.AddRange(trades.Select(t => t.TicketId));
        return () =>
        {
            finishTrades.ForEach(f => f());
            var stored = result with { Sequence = order.Sequence };
            draft.Response = new { order = stored, trade_ticket_ids = trades.Select(t => t.TicketId).ToList() };
            draft.After = new
            {
                order = snapshot,
                ledger = orderEffects.Select(e => e()).ToList(),
                trades = trades.Select(t => new { t.Id, t.TicketId, t.Price, t.Quantity }).ToList(),
            };
            return new PlacedOrder(stored, trades);
        };
    }

    /// <summary>
    /// Fill rows. Seller: the certificates leave locked, TRADE_CREDIT of the proceeds. Buyer: EUR leaves
    /// locked at the buyer's limit for this quantity; the trade value is paid and the price improvement comes
    /// back to available (TRADE_CREDIT); TRADE_CREDIT of the certificates. Effects are read after the insert.
    /// </summary>
    private static List<Func<LedgerEffect>> Settle(
        ActionScope scope,
        IReadOnlyDictionary<(Guid HolderId, Asset Asset), Balance> balances,
        Order buy,
        Order sell,
        decimal price,
        long quantity,
        string tradeTicket)
    {
        var certificate = buy.CertificateType.Asset;
        var value = price * quantity;
        var effects = new List<Func<LedgerEffect>>();
        var note = string.Create(CultureInfo.InvariantCulture, $"Trade {quantity} {certificate} @ {price:0.00}");

        var sellerCert = balances[(sell.HolderId, certificate)];
        var certBefore = sellerCert.ToView();
        var certAfter = LedgerService.ConsumeLocked(scope, sellerCert, quantity);
        effects.Add(() => new LedgerEffect(sell.HolderId, certificate.Value, null, null, 0m, certAfter.Locked - certBefore.Locked, certAfter.Available, certAfter.Locked));
        var proceeds = LedgerService.Post(scope, balances[(sell.HolderId, Asset.Eur)], TransactionTypes.TradeCredit, value, 0m, note + " (proceeds)", tradeTicket);
        effects.Add(() => Effect(proceeds));

        var buyerEur = balances[(buy.HolderId, Asset.Eur)];
        var reserved = buy.Price * quantity;
        var improvement = reserved - value;
        var eurBefore = buyerEur.ToView();
        var eurAfter = LedgerService.ConsumeLocked(scope, buyerEur, value);
        if (improvement > 0)
        {
            var back = LedgerService.Post(scope, buyerEur, TransactionTypes.TradeCredit, improvement, -improvement, note + " (price improvement)", tradeTicket);
            effects.Add(() => Effect(back) with { LockedChange = -reserved });
        }
        else
        {
            effects.Add(() => new LedgerEffect(buy.HolderId, Asset.Eur.Value, null, null, 0m, eurAfter.Locked - eurBefore.Locked, eurAfter.Available, eurAfter.Locked));
        }

        var bought = LedgerService.Post(scope, balances[(buy.HolderId, certificate)], TransactionTypes.TradeCredit, quantity, 0m, note, tradeTicket);
        effects.Add(() => Effect(bought));
        return effects;
    }

    /// <summary>The user is told why: for wash-trade prevention, with whom (the other Market Maker's name) it would have traded.</summary>
    private static string PreventionMessage(MatchResult match, BatchState state)
    {
        if (match.CancelReason == CancelReason.WashTradePrevention && match.BlockingHolderId is { } holder && match.BlockingPrice is { } price)
        {
            var name = state.PartyName(holder);
            return CancelMessages.Prevented(match.CancelReason, price, name is null ? null : $"{name}, {CancelMessages.SameOwnerGroup}");
        }

        return match.CancelMessage ?? "Remainder cancelled by self-trade prevention.";
    }

    internal static LedgerEffect Effect(LedgerEntry e) => new(
        e.Transaction.HolderId,
        e.Transaction.Asset.Value,
        e.Transaction.TransactionType,
        e.Transaction.Id,
        e.After.Available - e.Before.Available,
        e.After.Locked - e.Before.Locked,
        e.After.Available,
        e.After.Locked);

    internal static string Describe(Order o, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"Order {o.Id} {o.Side} {o.Quantity} {o.CertificateType} @ {o.Price:0.00}: {what}");
}
