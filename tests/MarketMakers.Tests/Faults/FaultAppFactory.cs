using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace MarketMakers.Tests.Faults;

/// <summary>The web app in-process on a given database and Redis (a private server the test may stop or restart).</summary>
public sealed class FaultAppFactory(string postgres, string redis) : AppFactory
{
    public override Task InitializeAsync()
    {
        Postgres = postgres;
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in TestDatabase.Settings(Postgres, redis))
        {
            builder.UseSetting(key, value);
        }
    }
}
