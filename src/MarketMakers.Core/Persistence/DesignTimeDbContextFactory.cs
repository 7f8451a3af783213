using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MarketMakers.Core.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MarketMakersDbContext>
{
    public MarketMakersDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MarketMakersDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time")
            .UseSnakeCaseNamingConvention()
            .Options;
        return new MarketMakersDbContext(options);
    }
}
