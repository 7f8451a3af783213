using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMakers;
using MarketMakers.Core.Matching;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Places and cancels orders: one business transaction per call through <see cref="BusinessActionRunner"/>.
/// Matching for a certificate type is serialized across every app instance by a transaction-scoped advisory
/// lock taken before the book is read; the book is read from the database under that lock, matched by the pure
/// engine and settled in both ledgers in the same transaction. See docs/decisions/0005-order-placement.md.
/// </summary>
public sealed class OrderService(BusinessActionRunner runner, LedgerService ledger, IOrderBookNotifier notifier)
{
    public const string CancelledByUser = "Cancelled by the order owner.";
    public const string CancelledByAdmin = "Cancelled by an administrator.";

    /// <summary>Admin: a SELL limit order for an active Market Maker (MM_ORDER_PLACED).</summary>
    public async Task<Audited<PlacedOrder>> PlaceMarketMakerOrderAsync(
        string? marketMakerId, PlaceOrderRequest request, CancellationToken cancellationToken = default)
    {
        var draft = MarketMakerPlaceDraft(marketMakerId, new
        {
            market_maker_id = marketMakerId,
            certificate_type = request.CertificateType,
            side = request.Side,
            order_type = request.OrderType,
            price = request.Price,
            quantity = request.Quantity,
        });
        var result = await runner.RunAsync(draft, async scope =>
        {
            var mmId = MarketMakerService.ParseId(marketMakerId);
            draft.MarketMakerId = mmId;
            var spec = Validate(request);
            if (spec.Side != OrderSides.Sell)
            {
                throw DomainException.Validation("Market Maker orders must be SELL orders.");
            }

            // FOR SHARE: a concurrent deactivation waits for this order, or this order sees it.
            var mm = await scope.Db.MarketMakerClients
                .FromSql($"SELECT * FROM market_maker_clients WHERE id = {mmId} FOR SHARE")
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw DomainException.NotFound($"Market Maker {mmId} not found.");
            mm.EnsureActive();
            return await PlaceAsync(scope, draft, mmId, mmId, spec, cancellationToken);
        }, cancellationToken);
        await notifier.PublishAsync(result.Value.Order.CertificateType, CancellationToken.None);
        return result;
    }

    public Task<Audited<PlacedOrder>> PlaceMarketMakerOrderAsync(
        Guid marketMakerId, PlaceOrderRequest request, CancellationToken cancellationToken = default) =>
        PlaceMarketMakerOrderAsync(marketMakerId.ToString(), request, cancellationToken);

    /// <summary>A FUNDED client user's BUY, or SELL of certificates the entity holds (ORDER_PLACED).</summary>
    public async Task<Audited<PlacedOrder>> PlaceClientOrderAsync(
        Guid userId, PlaceOrderRequest request, CancellationToken cancellationToken = default)
    {
        var draft = ClientPlaceDraft(userId, request);
        var result = await runner.RunAsync(draft, async scope =>
        {
            var spec = Validate(request);
            var holderId = await TradingEntityAsync(scope, userId, cancellationToken);
            return await PlaceAsync(scope, draft, holderId, null, spec, cancellationToken);
        }, cancellationToken);
        await notifier.PublishAsync(result.Value.Order.CertificateType, CancellationToken.None);
        return result;
    }

    /// <summary>Admin: cancels a Market Maker order and releases its unfilled lock (MM_ORDER_CANCELLED).</summary>
    public async Task<Audited<OrderView>> CancelMarketMakerOrderAsync(string? orderId, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.MmOrderCancelled, EntityTypes.Order) { EntityId = orderId, Request = new { order_id = orderId } };
        draft.Tags.AddRange(["market_maker", "order", "cancel"]);
        var result = await runner.RunAsync(
            draft,
            scope => CancelAsync(scope, draft, orderId, o => o.MarketMakerId is not null, CancelledByAdmin, cancellationToken),
            cancellationToken);
        await notifier.PublishAsync(result.Value.CertificateType, CancellationToken.None);
        return result;
    }

    public Task<Audited<OrderView>> CancelMarketMakerOrderAsync(Guid orderId, CancellationToken cancellationToken = default) =>
        CancelMarketMakerOrderAsync(orderId.ToString(), cancellationToken);

    /// <summary>A client cancels one of its entity's own orders (ORDER_CANCELLED). A foreign order is "not found".</summary>
    public async Task<Audited<OrderView>> CancelClientOrderAsync(Guid userId, string? orderId, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.OrderCancelled, EntityTypes.Order)
        {
            EntityId = orderId,
            UserId = userId,
            Request = new { order_id = orderId },
        };
        draft.Tags.AddRange(["cash_market", "order", "cancel"]);
        var result = await runner.RunAsync(draft, async scope =>
        {
            var holderId = await TradingEntityAsync(scope, userId, cancellationToken);
            return await CancelAsync(scope, draft, orderId, o => o.HolderId == holderId, CancelledByUser, cancellationToken);
        }, cancellationToken);
        await notifier.PublishAsync(result.Value.CertificateType, CancellationToken.None);
        return result;
    }

    public Task<Audited<OrderView>> CancelClientOrderAsync(Guid userId, Guid orderId, CancellationToken cancellationToken = default) =>
        CancelClientOrderAsync(userId, orderId.ToString(), cancellationToken);

    /// <summary>The ticket draft of an admin placement, also for a body refused before the service ran.</summary>
    public static TicketDraft MarketMakerPlaceDraft(string? marketMakerId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.MmOrderPlaced, EntityTypes.Order)
        {
            Request = request,
            MarketMakerId = Guid.TryParse(marketMakerId?.Trim(), out var id) ? id : null,
        };
        draft.Tags.AddRange(["market_maker", "order", "place"]);
        return draft;
    }

    public static TicketDraft ClientPlaceDraft(Guid? userId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.OrderPlaced, EntityTypes.Order) { Request = request, UserId = userId };
        draft.Tags.AddRange(["cash_market", "order", "place"]);
        return draft;
    }

    public static Guid ParseOrderId(string? orderId) =>
        Guid.TryParse(orderId?.Trim(), out var id) ? id : throw DomainException.Validation($"'{orderId}' is not a valid order id.");

    /// <summary>A stable advisory-lock key per certificate type (the same on every instance).</summary>
    public static long LockKey(string certificateType) => certificateType switch
    {
        Assets.Cea => 0x4D4D_4F52_4445_0001,
        Assets.Eua => 0x4D4D_4F52_4445_0002,
        _ => throw DomainException.Validation($"Unknown certificate type '{certificateType}'."),
    };

    private sealed record OrderSpec(string CertificateType, string Side, decimal Price, long Quantity);

    private static OrderSpec Validate(PlaceOrderRequest request)
    {
        var certificate = request.CertificateType?.Trim().ToUpperInvariant();
        if (certificate is null || !Assets.IsCertificate(certificate))
        {
            throw DomainException.Validation($"Unknown certificate type '{request.CertificateType}'. Use CEA or EUA.");
        }

        var side = request.Side?.Trim().ToUpperInvariant();
        if (side is not (OrderSides.Buy or OrderSides.Sell))
        {
            throw DomainException.Validation($"Unknown side '{request.Side}'. Use BUY or SELL.");
        }

        var type = request.OrderType?.Trim().ToUpperInvariant() ?? OrderTypes.Limit;
        if (type != OrderTypes.Limit)
        {
            throw DomainException.Validation($"Unknown order type '{request.OrderType}'. Only LIMIT orders are supported.");
        }

        return new OrderSpec(certificate, side, Order.ValidPrice(request.Price), Order.ValidQuantity(request.Quantity));
    }

    /// <summary>The ledger holder a user trades for; only FUNDED users with a client entity may trade.</summary>
    private static async Task<Guid> TradingEntityAsync(ActionScope scope, Guid userId, CancellationToken cancellationToken)
    {
        var user = await scope.Db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.EntityId,
                Funded = scope.Db.UserRoles.Any(ur => ur.UserId == u.Id
                    && scope.Db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Funded)),
            })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"User {userId} not found.");
        if (!user.Funded)
        {
            throw DomainException.Rule("Only FUNDED users can trade in the cash market.");
        }

        return user.EntityId ?? throw DomainException.Rule("Your account has no client entity to trade for.");
    }

    private static Task LockInstrumentAsync(ActionScope scope, string certificateType, CancellationToken cancellationToken) =>
        scope.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(certificateType)})", cancellationToken);

    /// <summary>
    /// The resting orders the incoming one can reach, in priority order: crossing its limit, and only as many
    /// as it can fill (each has at least 1 remaining, so never more than its quantity), which also covers the
    /// first own order that self-trade prevention must see. Served by the partial open-book index.
    /// </summary>
    private static Task<List<Order>> LoadCandidatesAsync(ActionScope scope, OrderSpec spec, CancellationToken cancellationToken)
    {
        var quantity = spec.Quantity;
        if (spec.Side == OrderSides.Buy)
        {
            return scope.Db.Orders.FromSql($"""
                SELECT * FROM (
                    SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
                    FROM (SELECT * FROM orders
                          WHERE certificate_type = {spec.CertificateType} AND side = 'SELL'
                            AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price <= {spec.Price}
                          ORDER BY price, sequence
                          LIMIT {quantity}) c
                ) w WHERE w.ahead < {quantity}
                """).AsTracking().ToListAsync(cancellationToken);
        }

        return scope.Db.Orders.FromSql($"""
            SELECT * FROM (
                SELECT c.*, sum(c.quantity - c.filled_quantity) OVER (ORDER BY c.price DESC, c.sequence) - (c.quantity - c.filled_quantity) AS ahead
                FROM (SELECT * FROM orders
                      WHERE certificate_type = {spec.CertificateType} AND side = 'BUY'
                        AND status IN ('OPEN', 'PARTIALLY_FILLED') AND price >= {spec.Price}
                      ORDER BY price DESC, sequence
                      LIMIT {quantity}) c
            ) w WHERE w.ahead < {quantity}
            """).AsTracking().ToListAsync(cancellationToken);
    }

    private async Task<PlacedOrder> PlaceAsync(
        ActionScope scope, TicketDraft draft, Guid holderId, Guid? marketMakerId, OrderSpec spec, CancellationToken cancellationToken)
    {
        var certificate = spec.CertificateType;
        var orderId = Guid.CreateVersion7();
        draft.EntityId = orderId.ToString();

        // 1. Serialize matching of this instrument across all instances, before reading the book.
        await LockInstrumentAsync(scope, certificate, cancellationToken);

        // 2. The reachable part of the book, from the database (the source of truth).
        var candidates = await LoadCandidatesAsync(scope, spec, cancellationToken);

        // 3. Every balance row this action can touch, locked in one deterministic batch.
        var keys = new List<(Guid, string)> { (holderId, certificate), (holderId, Assets.Eur) };
        foreach (var c in candidates)
        {
            keys.Add((c.HolderId, certificate));
            keys.Add((c.HolderId, Assets.Eur));
        }

        var balances = await ledger.LockAsync(scope, keys, cancellationToken);
        draft.Before = new
        {
            balances = new Dictionary<string, BalanceView>
            {
                [certificate] = balances[(holderId, certificate)].ToView(),
                [Assets.Eur] = balances[(holderId, Assets.Eur)].ToView(),
            },
        };

        // 4. The order and its lock (TRADE_DEBIT), on the order's own ticket.
        var order = Order.Place(orderId, holderId, marketMakerId, certificate, spec.Side, spec.Price, spec.Quantity, scope.TicketId, scope.Now);
        var orderEffects = new List<LedgerEffect>();
        var lockAmount = order.RemainingLock;
        var lockEntry = LedgerService.Post(
            scope, balances[(holderId, order.LockedAsset)], TransactionTypes.TradeDebit, -lockAmount, lockAmount,
            Describe(order, "lock"), scope.TicketId);
        scope.Db.Orders.Add(order);
        await scope.Db.SaveChangesAsync(cancellationToken);
        orderEffects.Add(Effect(lockEntry));

        // 5. Match with the pure engine on a book holding just the reachable orders.
        var book = new OrderBook();
        book.Load(candidates.Select(c => new RestingOrder(c.Id, c.HolderId, OrderSides.ToEngine(c.Side), c.Price, c.RemainingQuantity, c.Sequence)));
        var match = book.Match(new IncomingOrder(orderId, holderId, OrderSides.ToEngine(spec.Side), spec.Price, spec.Quantity, long.MaxValue));

        // 6. Settle every fill in both ledgers, each with its TRADE_EXECUTED ticket.
        var byId = candidates.ToDictionary(c => c.Id);
        var trades = new List<TradeView>();
        foreach (var fill in match.Fills)
        {
            var maker = byId[fill.MakerOrderId];
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
            tradeDraft.Tags.AddRange(["trade", certificate.ToLowerInvariant()]);
            var tradeTicket = await scope.AddTicketAsync(tradeDraft, cancellationToken);
            tradeDraft.Before = new { buy_order = buy.Snapshot(), sell_order = sell.Snapshot() };

            var trade = CashMarketTrade.Execute(tradeId, buy, sell, fill.Price, fill.Quantity, tradeTicket, scope.Now);
            order.Fill(fill.Quantity, scope.Now);
            maker.Fill(fill.Quantity, scope.Now);
            scope.Db.CashMarketTrades.Add(trade);

            var effects = Settle(scope, balances, buy, sell, fill.Price, fill.Quantity, tradeTicket);
            // One save per fill: within a fill each holder/asset gets at most one ledger row.
            await scope.Db.SaveChangesAsync(cancellationToken);
            var view = TradeView.From(trade);
            tradeDraft.After = new
            {
                trade = view,
                buy_order = buy.Snapshot(),
                sell_order = sell.Snapshot(),
                ledger = effects.Select(e => e()).ToList(),
            };
            trades.Add(view);
        }

        // 7. Self-trade prevention: the remainder is cancelled and its lock released, on the order's ticket.
        if (match.WasCancelled)
        {
            var reason = match.CancelMessage ?? "Remainder cancelled by self-trade prevention.";
            var release = order.RemainingLock;
            order.Cancel(reason, scope.Now);
            var releaseEntry = LedgerService.Post(
                scope, balances[(holderId, order.LockedAsset)], TransactionTypes.TradeCredit, release, -release,
                Describe(order, "self-trade prevention release"), scope.TicketId);
            await scope.Db.SaveChangesAsync(cancellationToken);
            orderEffects.Add(Effect(releaseEntry));
        }

        var result = OrderView.From(order);
        draft.Response = new { order = result, trade_ticket_ids = trades.Select(t => t.TicketId).ToList() };
        draft.After = new
        {
            order = order.Snapshot(),
            ledger = orderEffects,
            trades = trades.Select(t => new { t.Id, t.TicketId, t.Price, t.Quantity }).ToList(),
        };
        draft.RelatedTicketIds.AddRange(trades.Select(t => t.TicketId));
        return new PlacedOrder(result, trades);
    }

    /// <summary>
    /// SPEC §3 fill rows. Seller: the certificates leave locked, TRADE_CREDIT of the proceeds. Buyer: EUR leaves
    /// locked at the buyer's limit for this quantity; the trade value is paid and the price improvement comes
    /// back to available (TRADE_CREDIT); TRADE_CREDIT of the certificates. Effects are read after the save.
    /// </summary>
    private static List<Func<LedgerEffect>> Settle(
        ActionScope scope,
        IReadOnlyDictionary<(Guid HolderId, string Asset), Balance> balances,
        Order buy,
        Order sell,
        decimal price,
        long quantity,
        string tradeTicket)
    {
        var certificate = buy.CertificateType;
        var value = price * quantity;
        var effects = new List<Func<LedgerEffect>>();
        var note = string.Create(CultureInfo.InvariantCulture, $"Trade {quantity} {certificate} @ {price:0.00}");

        var sellerCert = balances[(sell.HolderId, certificate)];
        var certBefore = sellerCert.ToView();
        LedgerService.ConsumeLocked(scope, sellerCert, quantity);
        var certAfter = sellerCert.ToView();
        effects.Add(() => new LedgerEffect(sell.HolderId, certificate, null, null, 0m, certAfter.Locked - certBefore.Locked, certAfter.Available, certAfter.Locked));
        var proceeds = LedgerService.Post(scope, balances[(sell.HolderId, Assets.Eur)], TransactionTypes.TradeCredit, value, 0m, note + " (proceeds)", tradeTicket);
        effects.Add(() => Effect(proceeds));

        var buyerEur = balances[(buy.HolderId, Assets.Eur)];
        var reserved = buy.Price * quantity;
        var improvement = reserved - value;
        var eurBefore = buyerEur.ToView();
        LedgerService.ConsumeLocked(scope, buyerEur, value);
        if (improvement > 0)
        {
            var back = LedgerService.Post(scope, buyerEur, TransactionTypes.TradeCredit, improvement, -improvement, note + " (price improvement)", tradeTicket);
            effects.Add(() => Effect(back) with { LockedChange = -reserved });
        }
        else
        {
            var eurAfter = buyerEur.ToView();
            effects.Add(() => new LedgerEffect(buy.HolderId, Assets.Eur, null, null, 0m, eurAfter.Locked - eurBefore.Locked, eurAfter.Available, eurAfter.Locked));
        }

        var bought = LedgerService.Post(scope, balances[(buy.HolderId, certificate)], TransactionTypes.TradeCredit, quantity, 0m, note, tradeTicket);
        effects.Add(() => Effect(bought));
        return effects;
    }

    private async Task<OrderView> CancelAsync(
        ActionScope scope, TicketDraft draft, string? orderId, Func<Order, bool> mayCancel, string reason, CancellationToken cancellationToken)
    {
        var id = ParseOrderId(orderId);
        draft.EntityId = id.ToString();
        var certificate = await scope.Db.Orders.AsNoTracking().Where(o => o.Id == id).Select(o => o.CertificateType).SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Order {id} not found.");

        await LockInstrumentAsync(scope, certificate, cancellationToken);
        var order = await scope.Db.Orders.AsTracking().SingleAsync(o => o.Id == id, cancellationToken);
        if (!mayCancel(order))
        {
            throw DomainException.NotFound($"Order {id} not found.");
        }

        draft.MarketMakerId = order.MarketMakerId;
        draft.Before = order.Snapshot();
        draft.RelatedTicketIds.Add(order.TicketId);
        if (!order.IsOpen)
        {
            throw DomainException.Rule($"Order {id} is {order.Status} and cannot be cancelled.");
        }

        var release = order.RemainingLock;
        var balance = (await ledger.LockAsync(scope, [(order.HolderId, order.LockedAsset)], cancellationToken)).Values.Single();
        order.Cancel(reason, scope.Now);
        var entry = LedgerService.Post(scope, balance, TransactionTypes.TradeCredit, release, -release, Describe(order, "cancel release"), scope.TicketId);
        await scope.Db.SaveChangesAsync(cancellationToken);
        draft.After = new { order = order.Snapshot(), ledger = new[] { Effect(entry) } };
        return OrderView.From(order);
    }

    private static LedgerEffect Effect(LedgerEntry e) => new(
        e.Transaction.HolderId,
        e.Transaction.Asset,
        e.Transaction.TransactionType,
        e.Transaction.Id,
        e.After.Available - e.Before.Available,
        e.After.Locked - e.Before.Locked,
        e.After.Available,
        e.After.Locked);

    private static string Describe(Order o, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"Order {o.Id} {o.Side} {o.Quantity} {o.CertificateType} @ {o.Price:0.00}: {what}");
}
