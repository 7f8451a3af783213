using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Persistence;

namespace MarketMakers.Tests.Values;

/// <summary>Input is parsed once, at the boundary, with the API's own messages; an invalid value cannot be built.</summary>
public sealed class ValueTypeTests
{
    [Theory]
    [InlineData("cea", "CEA")]
    [InlineData(" EUA ", "EUA")]
    public void Certificate_types_parse_case_insensitively_to_one_instance(string text, string code)
    {
        var parsed = CertificateType.Parse(text);
        Assert.Equal(code, parsed.Value);
        Assert.Same(CertificateType.All.Single(c => c.Value == code), parsed);
    }

    [Theory]
    [InlineData("EUR", "Unknown certificate type 'EUR'. Use CEA or EUA.")]
    [InlineData(null, "Unknown certificate type ''. Use CEA or EUA.")]
    public void Unknown_certificate_types_are_refused_with_the_api_message(string? text, string message)
    {
        var ex = Assert.Throws<DomainException>(() => CertificateType.Parse(text));
        Assert.Equal((DomainErrorKind.Validation, message), (ex.Kind, ex.Message));
    }

    [Fact]
    public void Sides_statuses_and_assets_refuse_what_they_do_not_know()
    {
        Assert.Equal("Unknown side 'HOLD'. Use BUY or SELL.", Assert.Throws<DomainException>(() => OrderSide.Parse("HOLD")).Message);
        Assert.Equal("Unknown status 'DONE'. Use one of OPEN, PARTIALLY_FILLED, FILLED, CANCELLED.",
            Assert.Throws<DomainException>(() => OrderStatus.Parse("DONE")).Message);
        Assert.Equal("Unknown asset 'USD'. Use one of CEA, EUA, EUR.", Assert.Throws<DomainException>(() => Asset.Parse("USD")).Message);
        Assert.True(OrderStatus.PartiallyFilled.IsOpen && !OrderStatus.Filled.IsOpen);
    }

    [Theory]
    [InlineData("0", "The price must be greater than 0.")]
    [InlineData("70.001", "The price must be on the 0.01 tick.")]
    [InlineData("1000000.01", "The price must not exceed 1000000.")]
    public void Prices_are_positive_on_the_tick_and_bounded(string price, string message) =>
        Assert.Equal(message, Assert.Throws<DomainException>(() => Price.Parse(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))).Message);

    [Fact]
    public void Quantities_are_whole_and_amounts_follow_their_asset()
    {
        Assert.Equal(10L, Quantity.Parse(10m).Value);
        Assert.Equal("The quantity must be a whole number of certificates.", Assert.Throws<DomainException>(() => Quantity.Parse(2.5m)).Message);
        Assert.Equal(12.34m, Amount.Cash(12.34m).Value);
        Assert.Equal("CEA amounts must be whole certificates.", Assert.Throws<DomainException>(() => Amount.Parse(Asset.Cea, 1.5m)).Message);
        Assert.Equal("The amount may have at most 2 decimals.", Assert.Throws<DomainException>(() => Amount.Cash(1.005m)).Message);
    }

    [Fact]
    public void Ids_name_what_they_identify_when_malformed() =>
        Assert.Equal("'abc' is not a valid Market Maker id.", Assert.Throws<DomainException>(() => MarketMakerId.Parse("abc")).Message);

    [Fact]
    public void Codes_travel_as_their_text_in_json_and_in_the_database()
    {
        var json = JsonSerializer.Serialize(new { side = OrderSide.Buy, type = CertificateType.Eua });
        Assert.Equal("""{"side":"BUY","type":"EUA"}""", json);
        Assert.Same(OrderSide.Sell, JsonSerializer.Deserialize<OrderSide>("\"sell\""));
        Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<OrderSide>("\"HOLD\""));

        var converter = new CodeConverter<OrderStatus>();
        Assert.Equal("PARTIALLY_FILLED", converter.ConvertToProvider(OrderStatus.PartiallyFilled));
        Assert.Same(OrderStatus.Cancelled, converter.ConvertFromProvider("CANCELLED"));
    }

    [Fact]
    public void Commands_check_their_own_rules_when_built()
    {
        var terms = OrderTerms.Parse("CEA", "BUY", null, 70m, 10m);
        Assert.Same(OrderSide.Buy, PlaceMarketMakerOrder.Create(new MarketMakerId(Guid.NewGuid()), terms).Terms.Side);
        Assert.Equal("Unknown order type 'MARKET'. Only LIMIT orders are supported.",
            Assert.Throws<DomainException>(() => OrderTerms.Parse("CEA", "BUY", "MARKET", 70m, 10m)).Message);
        var holder = new LedgerHolder.ClientUser(new UserId(Guid.NewGuid()));
        Assert.Equal("Notes may have at most 1000 characters.",
            Assert.Throws<DomainException>(() => MoveAssets.Parse(holder, "EUR", "DEPOSIT", 1m, new string('x', 1001))).Message);
        Assert.Equal("ASSET_WITHDRAWAL", MoveAssets.Parse(holder, "EUR", "withdrawal", 1m, null).Draft().ActionType);
    }
}
