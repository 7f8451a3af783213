using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// The placement workload's market: one MM resting a deep SELL (1,000,000 @ 100.00) and funded traders, one per
/// worker, each alternating BUY 1 @ 100.00 (crosses: one fill) and SELL 1 @ 200.00 (rests).
/// </summary>
internal sealed class PlacementMarket
{
    private static readonly OrderTerms Bid = new(CertificateType.Eua, OrderSide.Buy, Price.Parse(100m), Quantity.Parse(1m));
    private static readonly OrderTerms Ask = new(CertificateType.Eua, OrderSide.Sell, Price.Parse(200m), Quantity.Parse(1m));

    private PlacementMarket(Guid marketMaker, List<(Guid UserId, Guid EntityId)> traders)
    {
        MarketMaker = marketMaker;
        Traders = traders;
    }

    public Guid MarketMaker { get; }

    public List<(Guid UserId, Guid EntityId)> Traders { get; }

    public static async Task<PlacementMarket> SeedAsync(IServiceProvider services, int traderCount)
    {
        var mm = await With<MarketMakerService, Guid>(services, async s => (await s.CreateAsync(CreateMarketMaker.Parse(
            "Bench MM", "mm@bench.local", null, new Dictionary<string, decimal> { ["EUA"] = 1_000_000m }))).Value.Id);
        await With<OrderService, object?>(services, async s =>
        {
            await s.PlaceMarketMakerOrderAsync(PlaceMarketMakerOrder.Create(new MarketMakerId(mm), new OrderTerms(CertificateType.Eua, OrderSide.Sell, Price.Parse(100m), Quantity.Parse(1_000_000m))));
            return null;
        });
        var traders = new List<(Guid UserId, Guid EntityId)>();
        for (int i = 0; i < traderCount; i++)
        {
            var user = await With<ClientService, ClientUserView>(services, async s => (await s.CreateUserAsync(CreateClientUser.Parse(
                $"trader{i}@bench.local", "Bench-Trader-Passw0rd", "Bench", $"Trader{i}", Roles.Funded, $"Bench entity {i}"))).Value);
            foreach (var amount in new[] { Amount.Parse(Asset.Eur, 100_000_000m), Amount.Parse(Asset.Eua, 1_000_000m) })
            {
                await With<LedgerMovementService, object?>(services, async s =>
                {
                    await s.MoveAsync(MoveAssets.Create(new LedgerHolder.ClientUser(new UserId(user.Id)), MovementType.Deposit, amount, "bench funding"));
                    return null;
                });
            }

            traders.Add((user.Id, user.EntityId!.Value));
        }

        return new PlacementMarket(mm, traders);
    }

    public Task<PlacementResult> AppRunAsync(IServiceProvider services, int concurrency, int orders, string variant) =>
        PlacementResult.DriveAsync(variant, concurrency, orders, async (worker, k) =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderService>().PlaceClientOrderAsync(new PlaceClientOrder(new UserId(Traders[worker].UserId), k % 2 == 0 ? Bid : Ask));
        });

    public Task<PlacementResult> BaselineRunAsync(RawSqlPlacement baseline, int concurrency, int orders) =>
        PlacementResult.DriveAsync("raw-SQL baseline", concurrency, orders, (worker, k) =>
            baseline.PlaceAsync(Traders[worker].UserId, Traders[worker].EntityId, k % 2 == 0));

    private static async Task<T> With<TService, T>(IServiceProvider services, Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
