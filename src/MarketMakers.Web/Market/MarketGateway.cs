using global::MarketMakers.Core;
using global::MarketMakers.Core.Ledger;
using global::MarketMakers.Core.MarketMakers;
using MarketMakers.Web.Components.Shared.Market;

namespace MarketMakers.Web.Market;

/// <summary>
/// What the market pages ask of Core, in the shapes they render. It only calls the Core services (which own every
/// query and every transaction); components never hold a DbContext.
/// </summary>
public sealed class MarketGateway(MarketMakerService marketMakers)
{
    public Task<BookModel> GetBookAsync(string certificateType) => throw new NotImplementedException();

    public async Task<IReadOnlyList<MarketMakerView>> ActiveMarketMakersAsync()
    {
        var page = await marketMakers.ListAsync(null, PageRequest.Of(PageRequest.MaxLimit, 0));
        return page.Items.Where(m => m.IsActive).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public Task<IReadOnlyList<OrderRow>> MarketMakerOrdersAsync(Guid? marketMakerId, string? status) => throw new NotImplementedException();

    public Task<IReadOnlyList<TradeRow>> RecentTradesAsync() => throw new NotImplementedException();

    public Task<PlacementResult> PlaceMarketMakerOrderAsync(Guid marketMakerId, string certificateType, decimal price, decimal quantity) =>
        throw new NotImplementedException();

    public Task<string> CancelMarketMakerOrderAsync(Guid orderId) => throw new NotImplementedException();

    public Task<IReadOnlyDictionary<string, BalanceView>> UserBalancesAsync(Guid userId) => throw new NotImplementedException();

    public Task<IReadOnlyList<OrderRow>> UserOrdersAsync(Guid userId) => throw new NotImplementedException();

    public Task<IReadOnlyList<TradeRow>> UserTradesAsync(Guid userId) => throw new NotImplementedException();

    public Task<PlacementResult> PlaceClientOrderAsync(Guid userId, string side, string certificateType, decimal price, decimal quantity) =>
        throw new NotImplementedException();

    public Task<string> CancelClientOrderAsync(Guid userId, Guid orderId) => throw new NotImplementedException();

    public Task<IReadOnlyList<ClientRow>> ClientsAsync() => throw new NotImplementedException();

    public Task<(ClientRow Client, string TicketId)> CreateClientAsync(NewClient request) => throw new NotImplementedException();

    public Task<string> FundEurAsync(Guid entityId, decimal amount, string? notes) => throw new NotImplementedException();
}
