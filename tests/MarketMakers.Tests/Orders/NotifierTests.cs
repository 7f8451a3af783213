using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Orders;

/// <summary>The order book notifier: Redis pub/sub across instances, local delivery when Redis is unreachable.</summary>
public sealed class NotifierTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_subscriber_on_one_instance_hears_a_publish_and_a_placement_made_through_another()
    {
        await using var other = TestDatabase.BuildServices(core.Postgres);
        var listener = core.Services.GetRequiredService<RedisOrderBookNotifier>();
        var publisher = other.GetRequiredService<IOrderBookNotifier>();
        Assert.NotSame(listener, publisher);

        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = listener.Subscribe("EUA", () =>
        {
            heard.TrySetResult();
            return Task.CompletedTask;
        });
        await listener.EnsureSubscribedAsync();

        await publisher.PublishAsync("EUA");
        await heard.Task.WaitAsync(Timeout);

        // A placement committed through the other instance reaches this one too.
        var placed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var second = listener.Subscribe("EUA", () =>
        {
            placed.TrySetResult();
            return Task.CompletedTask;
        });
        var mm = await Market.CreateMarketMakerAsync(other, new Dictionary<string, decimal> { ["EUA"] = 11 });
        await Market.WithAsync<OrderService, object>(other, async s =>
            await s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", OrderSide.Sell.Value, 999_999m, 10)));
        await placed.Task.WaitAsync(Timeout);
        await Market.WithAsync<OrderService, object>(other, async s =>
            await s.CancelMarketMakerOrderAsync((await s.PlaceMarketMakerOrderAsync(mm, Market.Order("EUA", OrderSide.Sell.Value, 999_999m, 1))).Value.Order.Id));
    }

    [Fact]
    public async Task Without_redis_changes_are_delivered_locally_and_a_failing_subscriber_does_not_stop_others()
    {
        // Port 1 on loopback refuses connections: this instance has no Redis at all.
        await using var services = TestDatabase.BuildServices(core.Postgres, redis: "127.0.0.1:1");
        var notifier = services.GetRequiredService<IOrderBookNotifier>();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disposedHeard = false;
        using var broken = notifier.Subscribe("CEA", () => throw new InvalidOperationException("broken page"));
        var gone = notifier.Subscribe("CEA", () =>
        {
            disposedHeard = true;
            return Task.CompletedTask;
        });
        gone.Dispose();
        using var good = notifier.Subscribe("CEA", () =>
        {
            heard.TrySetResult();
            return Task.CompletedTask;
        });

        await notifier.PublishAsync("CEA");

        await heard.Task.WaitAsync(Timeout);
        Assert.False(disposedHeard);
    }
}
