using MarketMakers.Core;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Web.Market;

/// <summary>
/// What the market pages read, in the shapes they render: every market page reads through here. Commands go
/// straight to the Core services, as the API's do; components never hold a DbContext or build queries.
/// </summary>
public sealed class MarketGateway(MarketMakerQueries marketMakers, OrderQueries queries, ClientService clients)
{
    /// <summary>How many rows a page's order and trade lists show.</summary>
    public const int ListLimit = 200;

    public Task<OrderBookView> GetBookAsync(string certificateType) => queries.GetBookAsync(CertificateType.Parse(certificateType));

    public async Task<IReadOnlyList<MarketMakerView>> ActiveMarketMakersAsync()
    {
        var page = await marketMakers.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.Where(m => m.IsActive).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<IReadOnlyList<OrderRow>> MarketMakerOrdersAsync(Guid? marketMakerId, string? status)
    {
        var page = await queries.ListOrdersAsync(marketMakerId, status is null ? null : OrderStatus.Parse(status), PageRequest.Of(ListLimit, 0));
        var names = await MarketMakerNamesAsync();
        return page.Items.Select(o => Row(o, o.MarketMakerId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }

    public async Task<IReadOnlyList<TradeRow>> RecentTradesAsync()
    {
        var page = await queries.ListTradesAsync(null, null, PageRequest.Of(50, 0));
        return page.Items.Select(t => Row(t, null)).ToList();
    }

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
            c.UserId, c.EntityId, c.Email, c.FirstName, c.LastName, c.EntityName ?? "", c.Role, c.Balances, c.CreatedAt, c.IsActive)).ToList();
    }

    private Task<Guid?> EntityOfAsync(Guid userId) => clients.EntityOfAsync(userId);

    private async Task<Dictionary<Guid, string>> MarketMakerNamesAsync()
    {
        var page = await marketMakers.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.ToDictionary(m => m.Id, m => m.Name);
    }

    private static OrderRow Row(OrderView o, string? holderName) => OrderRow.From(o, holderName);

    private static TradeRow Row(TradeView t, Guid? viewer) => TradeRow.From(t, viewer);
}
