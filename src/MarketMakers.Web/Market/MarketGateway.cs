using MarketMakers.Core;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Web.Market;

/// <summary>
/// What the market pages ask of Core, in the shapes they render. It only calls the Core services (which own every
/// query and every transaction); components never hold a DbContext or build queries.
/// </summary>
public sealed class MarketGateway(MarketMakerService marketMakers, OrderService orders, OrderQueries queries, ClientService clients)
{
    /// <summary>How many rows a page's order and trade lists show.</summary>
    public const int ListLimit = 200;

    public Task<OrderBookView> GetBookAsync(string certificateType) => queries.GetBookAsync(certificateType);

    public async Task<IReadOnlyList<MarketMakerView>> ActiveMarketMakersAsync()
    {
        var page = await marketMakers.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.Where(m => m.IsActive).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<IReadOnlyList<OrderRow>> MarketMakerOrdersAsync(Guid? marketMakerId, string? status)
    {
        var page = await queries.ListOrdersAsync(marketMakerId, status, PageRequest.Of(ListLimit, 0));
        var names = await MarketMakerNamesAsync();
        return page.Items.Select(o => Row(o, o.MarketMakerId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }

    public async Task<IReadOnlyList<TradeRow>> RecentTradesAsync()
    {
        var page = await queries.ListTradesAsync(null, null, PageRequest.Of(50, 0));
        return page.Items.Select(t => Row(t, null)).ToList();
    }

    public async Task<PlacementResult> PlaceMarketMakerOrderAsync(Guid marketMakerId, string certificateType, decimal price, decimal quantity)
    {
        var placed = await orders.PlaceMarketMakerOrderAsync(
            marketMakerId, new PlaceOrderRequest(certificateType, OrderSides.Sell, OrderTypes.Limit, price, quantity));
        return Result(placed.TicketId, placed.Value, marketMakerId);
    }

    public async Task<string> CancelMarketMakerOrderAsync(Guid orderId) => (await orders.CancelMarketMakerOrderAsync(orderId)).TicketId;

    public async Task<PlacementResult> PlaceClientOrderAsync(Guid userId, string side, string certificateType, decimal price, decimal quantity)
    {
        var placed = await orders.PlaceClientOrderAsync(userId, new PlaceOrderRequest(certificateType, side, OrderTypes.Limit, price, quantity));
        return Result(placed.TicketId, placed.Value, placed.Value.Order.HolderId);
    }

    public async Task<string> CancelClientOrderAsync(Guid userId, Guid orderId) => (await orders.CancelClientOrderAsync(userId, orderId)).TicketId;

    public Task<IReadOnlyDictionary<string, BalanceView>> UserBalancesAsync(Guid userId) => clients.BalancesOfUserAsync(userId);

    public async Task<IReadOnlyList<OrderRow>> UserOrdersAsync(Guid userId)
    {
        if (await EntityOfAsync(userId) is not { } entity)
        {
            return [];
        }

        var page = await queries.ListHolderOrdersAsync(entity, null, PageRequest.Of(ListLimit, 0));
        return page.Items.Select(o => Row(o, null)).ToList();
    }

    public async Task<IReadOnlyList<TradeRow>> UserTradesAsync(Guid userId)
    {
        if (await EntityOfAsync(userId) is not { } entity)
        {
            return [];
        }

        var page = await queries.ListTradesAsync(null, entity, PageRequest.Of(ListLimit, 0));
        return page.Items.Select(t => Row(t, entity)).ToList();
    }

    public async Task<IReadOnlyList<ClientRow>> ClientsAsync()
    {
        var page = await clients.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.Select(c => new ClientRow(
            c.UserId, c.EntityId, c.Email, c.FirstName, c.LastName, c.EntityName ?? "", c.Role, c.Balances, c.CreatedAt)).ToList();
    }

    /// <summary>Creates the user with its entity; returns the user id and the USER_CREATED ticket.</summary>
    public async Task<(ClientUserView User, string TicketId)> CreateClientAsync(NewClient r)
    {
        var created = await clients.CreateUserAsync(new CreateClientUserRequest(r.Email, r.Password, r.FirstName, r.LastName, r.Role, r.EntityName));
        return (created.Value, created.TicketId);
    }

    /// <summary>A ticketed EUR deposit into the user's entity; returns the ASSET_DEPOSIT ticket.</summary>
    public async Task<string> FundEurAsync(Guid userId, decimal amount, string? notes) =>
        (await clients.DepositEurAsync(userId.ToString(), amount, notes)).TicketId;

    private Task<Guid?> EntityOfAsync(Guid userId) => clients.EntityOfAsync(userId);

    private async Task<Dictionary<Guid, string>> MarketMakerNamesAsync()
    {
        var page = await marketMakers.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.ToDictionary(m => m.Id, m => m.Name);
    }

    private static PlacementResult Result(string ticketId, PlacedOrder placed, Guid holderId)
    {
        var order = placed.Order;
        var reason = order.Status == OrderStatuses.Cancelled ? order.CancelReason ?? "the remainder was cancelled" : null;
        return new PlacementResult(ticketId, Row(order, null), placed.Trades.Select(t => Row(t, holderId)).ToList(), reason);
    }

    private static OrderRow Row(OrderView o, string? holderName) =>
        new(o.Id, o.CertificateType, o.Side, o.Price, o.Quantity, o.FilledQuantity, o.Status, o.MarketMakerId, holderName, o.TicketId,
            o.CreatedAt, o.UpdatedAt);

    /// <summary><paramref name="viewer"/>'s side of the trade, when the viewer is one of its parties.</summary>
    private static TradeRow Row(TradeView t, Guid? viewer) =>
        new(t.Id, t.CertificateType, viewer == t.BuyerHolderId ? OrderSides.Buy : viewer == t.SellerHolderId ? OrderSides.Sell : null,
            t.Price, t.Quantity, t.MarketMakerId, t.TicketId, t.ExecutedAt);
}
