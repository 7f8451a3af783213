using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMakers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Places and cancels orders. A placement's input is checked here and it is handed to the <see cref="OrderSequencer"/>
/// (ticket id, trader's role and entity, funds: all in the batch), which places the orders queued for a
/// certificate type in batches of one transaction each and answers every caller after that COMMIT (ADR 0009). A
/// cancel is one business transaction through <see cref="BusinessActionRunner"/>. Both serialize per certificate
/// type across every app instance with the same transaction-scoped advisory lock (ADR 0005).
/// </summary>
public sealed class OrderService(
    BusinessActionRunner runner,
    OrderSequencer sequencer,
    IRequestContextAccessor requestContext,
    NpgsqlDataSource dataSource,
    IOrderBookNotifier notifier)
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
        var idempotency = runner.TakeIdempotency();
        Guid mmId;
        OrderSpec spec;
        try
        {
            mmId = MarketMakerService.ParseId(marketMakerId);
            draft.MarketMakerId = mmId;
            spec = Validate(request);
            if (spec.Side != OrderSides.Sell)
            {
                throw DomainException.Validation("Market Maker orders must be SELL orders.");
            }
        }
        catch (DomainException rejection)
        {
            throw await runner.RejectAsync(draft, rejection, cancellationToken);
        }

        // Whether the Market Maker exists and is active is checked in the batch, under FOR SHARE.
        return await SubmitAsync(draft, mmId, mmId, spec, idempotency, cancellationToken);
    }

    public Task<Audited<PlacedOrder>> PlaceMarketMakerOrderAsync(
        Guid marketMakerId, PlaceOrderRequest request, CancellationToken cancellationToken = default) =>
        PlaceMarketMakerOrderAsync(marketMakerId.ToString(), request, cancellationToken);

    /// <summary>
    /// A FUNDED client user's BUY, or SELL of certificates the entity holds (ORDER_PLACED). Whether the user may trade,
    /// and for which entity, is read in the batch's first round trip, under the instrument lock (ADR 0009).
    /// </summary>
    public async Task<Audited<PlacedOrder>> PlaceClientOrderAsync(
        Guid userId, PlaceOrderRequest request, CancellationToken cancellationToken = default)
    {
        var draft = ClientPlaceDraft(userId, request);
        var idempotency = runner.TakeIdempotency();
        OrderSpec spec;
        try
        {
            spec = Validate(request);
        }
        catch (DomainException rejection)
        {
            throw await runner.RejectAsync(draft, rejection, cancellationToken);
        }

        return await SubmitAsync(draft, Guid.Empty, null, spec, idempotency, cancellationToken, traderUserId: userId);
    }

    private async Task<Audited<PlacedOrder>> SubmitAsync(
        TicketDraft draft, Guid holderId, Guid? marketMakerId, OrderSpec spec, IdempotencyRequest? idempotency, CancellationToken cancellationToken,
        Guid? traderUserId = null)
    {
        if (idempotency is not null)
        {
            await runner.ReplayIfStoredAsync(idempotency, cancellationToken);
        }

        var pending = new PendingOrder(draft, null, requestContext.Current, holderId, marketMakerId, spec, idempotency, cancellationToken, traderUserId);
        return await sequencer.EnqueueAsync(pending);
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
            var holderId = await TradingEntityAsync(userId, cancellationToken);
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

    /// <summary>
    /// Each user's client entity and whether the user holds the FUNDED role ($1 user ids, $2 the role name). The order
    /// batch reads it for all its traders in its first round trip; a cancel reads it for one user.
    /// </summary>
    internal const string TradersSql = """
        SELECT u.id, u.entity_id,
               EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = $2)
        FROM users u WHERE u.id = ANY($1)
        """;

    /// <summary>The ledger holder a user trades for; only FUNDED users with a client entity may trade.</summary>
    internal static Guid TradingEntity(Guid userId, (Guid? EntityId, bool Funded)? trader)
    {
        if (trader is not { } found)
        {
            throw DomainException.NotFound($"User {userId} not found.");
        }

        if (!found.Funded)
        {
            throw DomainException.Rule("Only FUNDED users can trade in the cash market.");
        }

        return found.EntityId ?? throw DomainException.Rule("Your account has no client entity to trade for.");
    }

    private async Task<Guid> TradingEntityAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(TradersSql);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { userId } });
        command.Parameters.Add(new NpgsqlParameter { Value = Roles.Funded });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (Guid? EntityId, bool Funded)? trader = await reader.ReadAsync(cancellationToken)
            ? (reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetBoolean(2))
            : null;
        return TradingEntity(userId, trader);
    }

    private static Task LockInstrumentAsync(ActionScope scope, string certificateType, CancellationToken cancellationToken) =>
        scope.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(certificateType)})", cancellationToken);

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
        var balance = (await LedgerService.LockAsync(scope, [(order.HolderId, order.LockedAsset)], cancellationToken)).Values.Single();
        order.Cancel(reason, scope.Now);
        var entry = LedgerService.Post(scope, balance, TransactionTypes.TradeCredit, release, -release, OrderPlacement.Describe(order, "cancel release"), scope.TicketId);
        await scope.Db.SaveChangesAsync(cancellationToken);
        draft.After = new { order = order.Snapshot(), ledger = new[] { OrderPlacement.Effect(entry) } };
        return OrderView.From(order);
    }
}
