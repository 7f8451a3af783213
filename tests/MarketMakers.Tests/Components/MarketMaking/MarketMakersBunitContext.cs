using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Components.MarketMaking;

/// <summary>The Market Makers pages' components: what they submit goes through MarketMakerService.</summary>
public abstract class MarketMakersBunitContext : CoreBunitContext
{
    protected MarketMakerService MarketMakers => Services.GetRequiredService<MarketMakerService>();

    protected MarketMakerQueries Queries => Services.GetRequiredService<MarketMakerQueries>();

    protected static string UniqueEmail(string tag) => $"bunit-{tag}-{Guid.NewGuid():N}@test.local";

    protected Task<long> CountMarketMakersAsync(string email) =>
        TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM market_maker_clients WHERE lower(email) = lower(@p0)", email);
}
