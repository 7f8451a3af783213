using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Obligations;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Obligations;

/// <summary>A clock the test moves: the sampler stamps the slot of this instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Issue 17 obligations (SPEC §10) in a database of their own: setting terms (OBLIGATION_CHANGED before/after), the
/// sampler over a scripted book at fixed instants, the compliance buckets, exactly-once sampling across two
/// instances, and the append-only samples.
/// </summary>
public sealed class ObligationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Ten);
    private string _postgres = "";
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("oblig");
        _services = Build();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    private ServiceProvider Build() => TestDatabase.BuildServices(_postgres, configure: s => s.AddSingleton<TimeProvider>(_clock));

    private Task<Guid> MarketMakerAsync() => Market.CreateMarketMakerAsync(_services,
        new Dictionary<string, decimal> { ["CEA"] = 1000, ["EUA"] = 1000, ["EUR"] = 100_000 });

    private Task<MarketMakers.Core.Audit.Audited<ObligationView>> SetAsync(Guid mm, string ct, decimal spread, decimal quantity, decimal pct, bool? active = null) =>
        Market.WithAsync<ObligationService, MarketMakers.Core.Audit.Audited<ObligationView>>(_services, s =>
            s.SetAsync(SetObligation.Parse(mm.ToString(), ct, spread, quantity, pct, active)));

    private Task<Guid> PlaceAsync(Guid mm, string side, decimal price, long quantity) =>
        Market.WithAsync<OrderService, Guid>(_services, async s =>
            (await s.PlaceMarketMakerOrderAsync(mm, Market.Order("CEA", side, price, quantity))).Value.Order.Id);

    private async Task<SamplePass> SampleAtAsync(DateTimeOffset at)
    {
        _clock.Now = at;
        return await _services.GetRequiredService<ObligationSampler>().SampleAsync();
    }

    [Fact]
    public async Task Setting_an_obligation_upserts_it_with_a_before_and_after_ticket()
    {
        var mm = await MarketMakerAsync();
        var created = await SetAsync(mm, "CEA", 1.50m, 100, 90);
        Assert.Equal(new ObligationView(mm, "CEA", 1.50m, 100, 90, true, Ten), created.Value);
        var first = await TicketAssert.LoadAsync(_postgres, created.TicketId);
        Assert.Equal(("OBLIGATION_CHANGED", "SUCCESS", $"{mm}/CEA"), (first.ActionType, first.Status, first.EntityId));
        Assert.Null(first.BeforeState);
        Assert.Equal(1.50m, D(JsonDocument.Parse(first.AfterState!).RootElement, "max_spread"));

        _clock.Now = Ten.AddMinutes(5);
        var changed = await SetAsync(mm, "CEA", 2.00m, 50, 95.5m, active: false);
        Assert.Equal(new ObligationView(mm, "CEA", 2.00m, 50, 95.5m, false, Ten.AddMinutes(5)), changed.Value);
        var second = await TicketAssert.LoadAsync(_postgres, changed.TicketId);
        var before = JsonDocument.Parse(second.BeforeState!).RootElement;
        var after = JsonDocument.Parse(second.AfterState!).RootElement;
        Assert.Equal((1.50m, 100L, 90m, true), (D(before, "max_spread"), (long)D(before, "min_quantity"),
            D(before, "min_presence_pct"), before.GetProperty("active").GetBoolean()));
        Assert.Equal((2.00m, 50L, 95.5m, false), (D(after, "max_spread"), (long)D(after, "min_quantity"),
            D(after, "min_presence_pct"), after.GetProperty("active").GetBoolean()));

        await SetAsync(mm, "EUA", 0.10m, 1, 100);
        var list = await Market.WithAsync<ObligationService, IReadOnlyList<ObligationView>?>(_services, s => s.ListAsync(new MarketMakerId(mm)));
        Assert.Equal(["CEA", "EUA"], list!.Select(o => o.CertificateType));
        Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM obligations"));
    }

    // The audit JSON writes money and quantities exactly (as strings or numbers); either reads back the same.
    private static decimal D(JsonElement e, string name) =>
        decimal.Parse(e.GetProperty(name).ToString(), System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(0, 10, 50, "max_spread must be greater than 0 EUR")]
    [InlineData(1.005, 10, 50, "max_spread must be greater than 0 EUR")]
    [InlineData(1, 0, 50, "min_quantity must be a whole number")]
    [InlineData(1, 2.5, 50, "min_quantity must be a whole number")]
    [InlineData(1, 10, 0, "min_presence_pct must be greater than 0")]
    [InlineData(1, 10, 100.5, "min_presence_pct must be greater than 0")]
    public void Invalid_terms_are_refused_with_the_field_named(double spread, double quantity, double pct, string message)
    {
        var ex = Assert.Throws<DomainException>(() => SetObligation.Parse(Guid.NewGuid().ToString(), "CEA", (decimal)spread, (decimal)quantity, (decimal)pct, null));
        Assert.Equal(DomainErrorKind.Validation, ex.Kind);
        Assert.StartsWith(message, ex.Message);
        Assert.Equal(DomainErrorKind.Validation, Assert.Throws<DomainException>(() => SetObligation.Parse(Guid.NewGuid().ToString(), "XYZ", 1, 1, 1, null)).Kind);
    }

    [Fact]
    public async Task Setting_an_obligation_of_an_unknown_market_maker_is_refused_with_a_failed_ticket()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => SetAsync(Guid.NewGuid(), "CEA", 1, 1, 50));
        Assert.Equal(DomainErrorKind.NotFound, ex.Kind);
        Assert.Equal("FAILED", (await TicketAssert.LoadAsync(_postgres, ex.TicketId!)).Status);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM obligations"));
    }

    [Fact]
    public async Task The_sampler_records_the_own_best_quotes_and_the_buckets_count_presence()
    {
        var mm = await MarketMakerAsync();
        await SetAsync(mm, "CEA", 1.00m, 10, 50);

        // 10:00:03 → slot 10:00:00, nothing quoted.
        Assert.Equal(new SamplePass(Ten, true, 1), await SampleAtAsync(Ten.AddSeconds(3)));

        // Two-sided, 0.50 wide, 10 bid and 20 offered: present.
        var bid = await PlaceAsync(mm, "BUY", 100.50m, 10);
        await PlaceAsync(mm, "SELL", 101.00m, 20);
        Assert.Equal(new SamplePass(Ten.AddSeconds(10), true, 1), await SampleAtAsync(Ten.AddSeconds(15)));

        // More at the best ask adds up; a worse ask does not count.
        await PlaceAsync(mm, "SELL", 101.00m, 5);
        await PlaceAsync(mm, "SELL", 102.00m, 7);
        Assert.Equal(new SamplePass(Ten.AddSeconds(3590), true, 1), await SampleAtAsync(Ten.AddSeconds(3599)));

        // The bid is cancelled: one-sided at 11:00:00, not present.
        await Market.WithAsync<OrderService, MarketMakers.Core.Audit.Audited<OrderView>>(_services, s => s.CancelMarketMakerOrderAsync(bid));
        var eleven = Ten.AddHours(1);
        Assert.Equal(new SamplePass(eleven, true, 1), await SampleAtAsync(eleven));
        // The same slot again writes nothing.
        Assert.Equal(new SamplePass(eleven, true, 0), await SampleAtAsync(eleven.AddSeconds(9)));

        var queries = _services.GetRequiredService<ComplianceQueries>();
        var range = ComplianceRange.Parse("2026-12-07", "2026-12-07", _clock.Now);
        var samples = await queries.SamplesAsync(new MarketMakerId(mm), null, range, breachesOnly: false, limit: 10);
        Assert.Equal(
            [
                new SampleView(eleven, "CEA", false, null, 101.00m, null, 0, 25, 1.00m, 10),
                new SampleView(Ten.AddSeconds(3590), "CEA", true, 100.50m, 101.00m, 0.50m, 10, 25, 1.00m, 10),
                new SampleView(Ten.AddSeconds(10), "CEA", true, 100.50m, 101.00m, 0.50m, 10, 20, 1.00m, 10),
                new SampleView(Ten, "CEA", false, null, null, null, 0, 0, 1.00m, 10),
            ],
            samples);
        Assert.Equal(2, (await queries.SamplesAsync(new MarketMakerId(mm), null, range, breachesOnly: true, limit: 10)).Count);

        var hours = await queries.BucketsAsync(new MarketMakerId(mm), CertificateType.Parse("CEA"), range, ComplianceBucketSize.Hour);
        Assert.Equal(
            [
                new ComplianceBucket(Ten, "CEA", 3, 2, 66.67m, 0.5000m, 6.67m, 15.00m, 50m, true),
                new ComplianceBucket(eleven, "CEA", 1, 0, 0m, null, 0m, 25m, 50m, false),
            ],
            hours.Buckets);
        var days = await queries.BucketsAsync(new MarketMakerId(mm), null, range, ComplianceBucketSize.Day);
        // 2 of 4 is exactly 50 %: met.
        Assert.Equal([new ComplianceBucket(Ten.AddHours(-10), "CEA", 4, 2, 50m, 0.5000m, 5.00m, 17.50m, 50m, true)], days.Buckets);
        Assert.Empty((await queries.BucketsAsync(new MarketMakerId(mm), CertificateType.Parse("EUA"), range, ComplianceBucketSize.Day)).Buckets);

        var today = await queries.TodayAsync([mm]);
        Assert.Equal(new TodayPresence(4, 2, 50m, true), today[mm]);
        await Market.AssertReconciledAsync(_services);
    }

    [Fact]
    public async Task Inactive_obligations_and_inactive_market_makers_are_not_sampled()
    {
        var mm = await MarketMakerAsync();
        await SetAsync(mm, "CEA", 1.00m, 10, 50, active: false);
        Assert.Equal(new SamplePass(Ten, true, 0), await SampleAtAsync(Ten));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM obligation_samples"));
    }

    [Fact]
    public async Task Two_instances_sampling_the_same_slot_write_one_sample_per_obligation()
    {
        var makers = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            makers.Add(await MarketMakerAsync());
            await SetAsync(makers[^1], "CEA", 1.00m, 10, 50);
            await SetAsync(makers[^1], "EUA", 1.00m, 10, 50);
        }

        await using var other = Build();
        var samplers = new[] { _services.GetRequiredService<ObligationSampler>(), other.GetRequiredService<ObligationSampler>() };
        for (var slot = 0; slot < 5; slot++)
        {
            _clock.Now = Ten.AddSeconds(10 * slot + 4);
            var passes = await Task.WhenAll(samplers.Select(s => Task.Run(() => s.SampleAsync())));
            Assert.All(passes, p => Assert.Equal(Ten.AddSeconds(10 * slot), p.SlotAt));
            Assert.Equal(6, passes.Sum(p => p.Samples));
        }

        Assert.Equal(30L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM obligation_samples"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(_postgres,
            "SELECT count(*) FROM (SELECT 1 FROM obligation_samples GROUP BY market_maker_id, certificate_type, sampled_at HAVING count(*) > 1) d"));
    }

    [Fact]
    public async Task Samples_cannot_be_updated_or_deleted()
    {
        var mm = await MarketMakerAsync();
        await SetAsync(mm, "CEA", 1.00m, 10, 50);
        await SampleAtAsync(Ten);
        var update = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ExecuteAsync(_postgres, "UPDATE obligation_samples SET present = true"));
        Assert.Contains("append-only", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ExecuteAsync(_postgres, "DELETE FROM obligation_samples"));
        Assert.Contains("append-only", delete.MessageText);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(_postgres, "SELECT count(*) FROM obligation_samples WHERE NOT present"));
    }
}
