using MarketMakers.Core.Ledger;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Tests.Ledger;

/// <summary>
/// The ledger's codes are value types in memory and text in the database: the model must still equal the last
/// migration's snapshot (what <c>dotnet ef migrations add</c> compares), so no migration is owed.
/// </summary>
public sealed class LedgerModelTests
{
    [Fact]
    public void Model_has_no_changes_beyond_the_last_migration()
    {
        using var db = NewContext();
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Theory]
    [InlineData(typeof(Balance))]
    [InlineData(typeof(AssetTransaction))]
    public void Asset_is_stored_as_its_code_in_the_asset_column(Type entity)
    {
        using var db = NewContext();
        var property = db.Model.FindEntityType(entity)!.FindProperty("Asset")!;
        Assert.Equal("asset", property.GetColumnName());
        Assert.Equal("character varying(8)", property.GetColumnType());
        var converter = property.GetTypeMapping().Converter!;
        Assert.Equal("EUR", converter.ConvertToProvider(Asset.Eur));
        Assert.Same(Asset.Cea, converter.ConvertFromProvider("CEA"));
    }

    private static MarketMakersDbContext NewContext() =>
        new(new DbContextOptionsBuilder<MarketMakersDbContext>().UseNpgsql("Host=unused").UseSnakeCaseNamingConvention().Options);
}
