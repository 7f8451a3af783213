using System.Reflection;
using System.Text.RegularExpressions;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MarketMakers.Tests.Audit;

public sealed partial class TicketIdAllocatorTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [GeneratedRegex(@"^TKT-\d{4}-\d{6,}$")]
    private static partial Regex WellFormed();

    [Fact]
    public async Task Five_hundred_concurrent_allocations_are_distinct_and_well_formed()
    {
        var allocator = core.Services.GetRequiredService<ITicketIdAllocator>();

        var ids = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => allocator.NextAsync())));

        Assert.Equal(500, ids.Select(i => i.Value).Distinct().Count());
        Assert.All(ids, id => Assert.Matches(WellFormed(), id.Value));
        Assert.All(ids, id => Assert.Equal(DateTimeOffset.UtcNow.Year, id.Year));
    }

    [Fact]
    public async Task Ranges_taken_concurrently_and_across_blocks_are_consecutive_and_never_overlap()
    {
        // A block of 10 forces ranges of 7 to skip what is left of a block, and 25 to span three blocks.
        await using var services = TestDatabase.BuildServices(core.Postgres, configure: s =>
            s.Configure<TicketCounterOptions>(o => o.BlockSize = 10));
        var allocator = services.GetRequiredService<ITicketIdAllocator>();

        var ranges = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => allocator.NextManyAsync(i % 2 == 0 ? 7 : 25))));

        Assert.All(ranges.Where(r => r.Count == 7), r => Assert.Equal(Enumerable.Range(0, 7).Select(k => r[0].Number + k), r.Select(id => id.Number)));
        Assert.All(ranges, r => Assert.True(r.Zip(r.Skip(1)).All(p => p.Second.Number > p.First.Number), "a range is not increasing"));
        var all = ranges.SelectMany(r => r).Select(id => id.Value).ToList();
        Assert.Equal(40 / 2 * (7 + 25), all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task After_FLUSHALL_new_ids_are_greater_than_every_stored_and_issued_id()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = TestDatabase.BuildServices(core.Postgres, redis.Configuration);
        var issuedBefore = await ActAsync(services, 20);
        // Allocated but never stored: a transaction still in flight when Redis was flushed.
        var inFlight = await services.GetRequiredService<ITicketIdAllocator>().NextAsync();

        Assert.Equal("OK", await redis.CommandAsync("FLUSHALL"));
        var storedMax = await StoredMaxAsync();
        var issuedAfter = await ActAsync(services, 20);

        Assert.All(issuedAfter, id => Assert.True(id.Number > storedMax, $"{id} is not above stored max {storedMax}"));
        Assert.All(issuedAfter, id => Assert.True(id.Number > inFlight.Number, $"{id} reuses in-flight {inFlight}"));
        Assert.Empty(issuedAfter.Select(i => i.Value).Intersect(issuedBefore.Select(i => i.Value)));
    }

    [Fact]
    public async Task With_Redis_stopped_actions_succeed_with_unique_ids_and_resume_after_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = TestDatabase.BuildServices(core.Postgres, redis.Configuration);
        var before = await ActAsync(services, 10);

        await redis.StopAsync();
        var whileDown = await ActAsync(services, 20);

        await redis.StartAgainAsync();
        await WaitForReconnectAsync(services);
        var afterRestart = await ActAsync(services, 20);

        var all = before.Concat(whileDown).Concat(afterRestart).Select(i => i.Value).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(whileDown, id => Assert.Matches(WellFormed(), id.Value));
        var maxWhileDown = whileDown.Max(i => i.Number);
        Assert.All(afterRestart, id => Assert.True(id.Number > maxWhileDown, $"{id} is not above {maxWhileDown} issued while Redis was down"));
        foreach (var id in whileDown.Concat(afterRestart))
        {
            Assert.Equal("SUCCESS", (await TicketAssert.LoadAsync(core.Postgres, id.Value)).Status);
        }
    }

    [Fact]
    public async Task An_unexpected_failure_of_the_Redis_call_falls_back_to_PostgreSQL_instead_of_failing_the_action()
    {
        // RedisCommandException is not a RedisException; it used to escape the runner as an HTTP 500 without a ticket.
        await using var services = TestDatabase.BuildServices(core.Postgres, configure: s =>
            s.AddSingleton(DispatchProxy.Create<IConnectionMultiplexer, RefusingRedis>()));

        var ids = await ActAsync(services, 2);

        Assert.Equal(2, ids.Select(i => i.Value).Distinct().Count());
        Assert.All(ids, id => Assert.True(id.Number > 0));
    }

    /// <summary>Runs real audited actions (each commits a SUCCESS ticket) and returns their ticket ids.</summary>
    private static async Task<List<TicketNumber>> ActAsync(ServiceProvider services, int count)
    {
        var ids = new List<TicketNumber>();
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
            var result = await runner.RunAsync(new TicketDraft(ActionTypes.UserRoleChanged, EntityTypes.User), _ => Task.CompletedTask);
            TicketNumber.TryParse(result.TicketId, out var year, out var number);
            ids.Add(new TicketNumber(year, number, default));
        }

        return ids;
    }

    private Task<long> StoredMaxAsync() =>
        TestDatabase.ScalarAsync<long>(core.Postgres, "SELECT max(number) FROM ticket_logs WHERE year = @p0", DateTimeOffset.UtcNow.Year);

    private static async Task WaitForReconnectAsync(ServiceProvider services)
    {
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!redis.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(redis.IsConnected, "the multiplexer did not reconnect to the restarted Redis");
    }

    /// <summary>A connected Redis whose every command is refused client-side, as a replica refuses a write.</summary>
    public class RefusingRedis : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            "get_IsConnected" => true,
            "GetDatabase" => Create<IDatabase, RefusingRedis>(),
            "Dispose" => null,
            "DisposeAsync" => ValueTask.CompletedTask,
            "ScriptEvaluateAsync" => Task.FromException<RedisResult>(new RedisCommandException("Command cannot be issued to a replica: EVAL")),
            var name when name.StartsWith("add_", StringComparison.Ordinal) || name.StartsWith("remove_", StringComparison.Ordinal) => null,
            var name => throw new NotSupportedException(name),
        };
    }
}
