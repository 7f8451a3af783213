using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Market = MarketMakers.Tests.Orders.Market;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// Issue 16 "Two instances": two independently wired service providers on one database, as two app processes. A halt
/// issued on A refuses the very next order on B (the batch reads the state under the instrument lock, no cache), B's
/// book shows HALTED, and B's live subscribers hear of it through Redis.
/// </summary>
public sealed class TwoInstanceHaltTests
{
    [Fact]
    public async Task A_halt_on_one_instance_refuses_orders_on_the_other_at_once()
    {
        var postgres = await TestDatabase.CreateAsync("twohalt");
        try
        {
            await using var a = TestDatabase.BuildServices(postgres);
            await using var b = TestDatabase.BuildServices(postgres);
            var mm = await Market.CreateMarketMakerAsync(b, new Dictionary<string, decimal> { ["EUA"] = 1000 });
            await Market.WithAsync<OrderService, object>(b, async s => await s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", "SELL", 70.00m, 10)));

            var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = b.GetRequiredService<IOrderBookNotifier>().Subscribe("EUA", () =>
            {
                heard.TrySetResult();
                return Task.CompletedTask;
            });
            await Market.WithAsync<MarketService, object>(a, async s => await s.HaltAsync(HaltMarket.Parse("EUA", "Halted on instance A")));

            var refusal = await Assert.ThrowsAsync<DomainException>(() =>
                Market.WithAsync<OrderService, Audited<PlacedOrder>>(b, s => s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", "SELL", 71.00m, 1))));
            Assert.Equal(DomainErrorKind.Conflict, refusal.Kind);
            Assert.Contains("Halted on instance A", refusal.Message);
            Assert.True((await b.GetRequiredService<OrderQueries>().GetBookAsync(CertificateType.Eua)).IsHalted);
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));

            await Market.WithAsync<MarketService, object>(a, async s => await s.ResumeAsync(ResumeMarket.Parse("EUA", "Resumed on A")));
            var placed = await Market.WithAsync<OrderService, Audited<PlacedOrder>>(b, s => s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", "SELL", 71.00m, 1)));
            Assert.Equal("OPEN", placed.Value.Order.Status);
            Assert.False((await b.GetRequiredService<OrderQueries>().GetBookAsync(CertificateType.Eua)).IsHalted);
            await Market.AssertReconciledAsync(b);
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }
}
