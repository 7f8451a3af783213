using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Orders;

/// <summary>A limit order's terms, parsed once: certificate type, side, price on the tick and a whole quantity.</summary>
public sealed record OrderTerms(CertificateType CertificateType, OrderSide Side, Price Price, Quantity Quantity)
{
    /// <summary>Parses the fields of a request; only LIMIT orders exist, so a missing order type means LIMIT.</summary>
    public static OrderTerms Parse(string? certificateType, string? side, string? orderType, decimal? price, decimal? quantity)
    {
        var certificate = CertificateType.Parse(certificateType);
        var parsedSide = OrderSide.Parse(side);
        if (orderType is not null && !string.Equals(orderType.Trim(), OrderTypes.Limit, StringComparison.OrdinalIgnoreCase))
        {
            throw DomainException.Validation($"Unknown order type '{orderType}'. Only LIMIT orders are supported.");
        }

        return new OrderTerms(certificate, parsedSide, Price.Parse(price), Quantity.Parse(quantity));
    }

    /// <summary>What a ticket records of the terms.</summary>
    internal object Audit(Guid? marketMakerId = null) => marketMakerId is { } mm
        ? new { market_maker_id = mm, certificate_type = CertificateType.Value, side = Side.Value, order_type = OrderTypes.Limit, price = Price.Value, quantity = Quantity.Value }
        : new { certificate_type = CertificateType.Value, side = Side.Value, order_type = OrderTypes.Limit, price = Price.Value, quantity = Quantity.Value };
}

/// <summary>An admin places a limit order (either side; a two-sided quote needs a bid) for an active Market Maker (MM_ORDER_PLACED).</summary>
public sealed record PlaceMarketMakerOrder : Command
{
    private PlaceMarketMakerOrder(MarketMakerId marketMakerId, OrderTerms terms) => (MarketMakerId, Terms) = (marketMakerId, terms);

    public MarketMakerId MarketMakerId { get; }

    public OrderTerms Terms { get; }

    public static PlaceMarketMakerOrder Create(MarketMakerId marketMakerId, OrderTerms terms) => new(marketMakerId, terms);

    public override TicketDraft Draft() => Ticket(MarketMakerId.Value, Terms.Audit(MarketMakerId.Value));

    /// <summary>The ticket of a placement, also for a request refused before it could be parsed.</summary>
    public static TicketDraft Ticket(Guid? marketMakerId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.MmOrderPlaced, EntityTypes.Order) { Request = request, MarketMakerId = marketMakerId };
        draft.Tags.AddRange(["market_maker", "order", "place"]);
        return draft;
    }
}

/// <summary>A FUNDED client user's BUY, or SELL of certificates its entity holds (ORDER_PLACED).</summary>
public sealed record PlaceClientOrder(UserId Trader, OrderTerms Terms) : Command
{
    public override TicketDraft Draft() => Ticket(Trader.Value, Terms.Audit());

    public static TicketDraft Ticket(Guid? userId, object? request)
    {
        var draft = new TicketDraft(ActionTypes.OrderPlaced, EntityTypes.Order) { Request = request, UserId = userId };
        draft.Tags.AddRange(["cash_market", "order", "place"]);
        return draft;
    }
}

/// <summary>An admin cancels a Market Maker's order and releases its unfilled lock (MM_ORDER_CANCELLED).</summary>
public sealed record CancelMarketMakerOrder(OrderId OrderId) : Command
{
    public override TicketDraft Draft() => Ticket(OrderId.ToString());

    public static TicketDraft Ticket(string? orderId)
    {
        var draft = new TicketDraft(ActionTypes.MmOrderCancelled, EntityTypes.Order) { EntityId = orderId, Request = new { order_id = orderId } };
        draft.Tags.AddRange(["market_maker", "order", "cancel"]);
        return draft;
    }
}

/// <summary>A client cancels one of its entity's own orders (ORDER_CANCELLED); a foreign order is "not found".</summary>
public sealed record CancelClientOrder(UserId Trader, OrderId OrderId) : Command
{
    public override TicketDraft Draft() => Ticket(Trader.Value, OrderId.ToString());

    public static TicketDraft Ticket(Guid? userId, string? orderId)
    {
        var draft = new TicketDraft(ActionTypes.OrderCancelled, EntityTypes.Order) { EntityId = orderId, UserId = userId, Request = new { order_id = orderId } };
        draft.Tags.AddRange(["cash_market", "order", "cancel"]);
        return draft;
    }
}
