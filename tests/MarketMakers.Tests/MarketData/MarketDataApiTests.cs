using System.Net;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;

namespace MarketMakers.Tests.MarketData;

/// <summary>
/// The public market-data endpoints (issue 17): candles and the tape answer anonymously like the public order book,
/// in snake_case with decimals as strings, name no holder, and refuse bad input with 422 and a detail. The user's own
/// trades (GET /cash-market/trades) stay private.
/// </summary>
public sealed class MarketDataApiTests(OrdersAppFactory app) : IClassFixture<OrdersAppFactory>
{
    private const string Candles = "/api/v1/cash-market/candles";
    private const string Tape = "/api/v1/cash-market/tape";

    [Fact]
    public async Task Anyone_reads_candles_and_the_tape_of_a_trade_without_signing_in()
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["EUA"] = "100" }, "mdata");
        using var client = await OrderApi.CreateClientAsync(app, admin, Roles.Funded, "10000");
        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "EUA", "50.00", 10));
        var bought = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "EUA", "BUY", "50.00", 4));
        var tradeId = bought.GetProperty("trades")[0].GetProperty("id").GetGuid();
        using var anonymous = app.CreateApiClient();

        // Two hourly buckets: the trade is in one of them even if an hour turned between the trade and the read.
        var series = await OrderApi.OkAsync(await anonymous.GetAsync($"{Candles}?certificate_type=EUA&bucket=1h&limit=2"));
        Assert.Equal(["certificate_type", "bucket", "previous_close", "candles"], series.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("EUA", "1h", JsonValueKind.Null), (series.GetProperty("certificate_type").GetString(), series.GetProperty("bucket").GetString(),
            series.GetProperty("previous_close").ValueKind));
        var candles = series.GetProperty("candles").EnumerateArray().ToList();
        Assert.Equal(2, candles.Count);
        Assert.Equal(["start", "open", "high", "low", "close", "volume", "trades"], candles[0].EnumerateObject().Select(p => p.Name));
        var traded = Assert.Single(candles, c => c.GetProperty("trades").GetInt32() > 0);
        Assert.Equal(("50.00", "50.00", "50.00", "50.00", 4L, 1),
            (traded.GetProperty("open").GetString(), traded.GetProperty("high").GetString(), traded.GetProperty("low").GetString(),
             traded.GetProperty("close").GetString(), traded.GetProperty("volume").GetInt64(), traded.GetProperty("trades").GetInt32()));
        Assert.True(DateTimeOffset.Parse(candles[1].GetProperty("start").GetString()!) - DateTimeOffset.Parse(candles[0].GetProperty("start").GetString()!) == TimeSpan.FromHours(1));

        // The default is 60 one-minute buckets.
        var minutes = await OrderApi.OkAsync(await anonymous.GetAsync($"{Candles}?certificate_type=EUA"));
        Assert.Equal(("1m", 60), (minutes.GetProperty("bucket").GetString(), minutes.GetProperty("candles").GetArrayLength()));

        var tape = await OrderApi.OkAsync(await anonymous.GetAsync($"{Tape}?certificate_type=EUA&limit=5"));
        var print = Assert.Single(tape.GetProperty("trades").EnumerateArray());
        Assert.Equal(["id", "executed_at", "price", "quantity", "aggressor_side"], print.EnumerateObject().Select(p => p.Name));
        Assert.Equal((tradeId, "50.00", 4L, "BUY"),
            (print.GetProperty("id").GetGuid(), print.GetProperty("price").GetString(), print.GetProperty("quantity").GetInt64(),
             print.GetProperty("aggressor_side").GetString()));

        // The user's own trades are not public.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cash-market/trades?certificate_type=EUA")).StatusCode);
        await OrderApi.AssertReconciledAsync(admin);
    }

    [Theory]
    [InlineData(Candles + "?certificate_type=EUA&bucket=1w", "Unknown bucket '1w'. Use 1m, 1h or 1d.")]
    [InlineData(Candles + "?certificate_type=XYZ&bucket=1h", "Unknown certificate type 'XYZ'. Use CEA or EUA.")]
    [InlineData(Candles + "?bucket=1h", "Unknown certificate type ''. Use CEA or EUA.")]
    [InlineData(Candles + "?certificate_type=CEA&limit=0", "'limit' must be an integer from 1 to 1000.")]
    [InlineData(Candles + "?certificate_type=CEA&limit=1001", "'limit' must be an integer from 1 to 1000.")]
    [InlineData(Candles + "?certificate_type=CEA&limit=ten", "'limit' must be an integer from 1 to 1000.")]
    [InlineData(Tape + "?certificate_type=ABC", "Unknown certificate type 'ABC'. Use CEA or EUA.")]
    [InlineData(Tape + "?certificate_type=CEA&limit=501", "'limit' must be an integer from 1 to 500.")]
    [InlineData(Tape + "?certificate_type=CEA&limit=-1", "'limit' must be an integer from 1 to 500.")]
    public async Task Bad_input_is_422_with_a_detail(string path, string detail)
    {
        using var anonymous = app.CreateApiClient();
        var response = await anonymous.GetAsync(path);
        var body = await MmApi.JsonAsync(response);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, detail), (response.StatusCode, body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Both_endpoints_are_documented_in_openapi_as_public_market_data()
    {
        using var anonymous = app.CreateApiClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        foreach (var path in new[] { Candles, Tape })
        {
            var get = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get");
            Assert.Equal("Market Data", get.GetProperty("tags")[0].GetString());
            Assert.False(string.IsNullOrWhiteSpace(get.GetProperty("summary").GetString()));
            Assert.Contains("Public", get.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.True(get.GetProperty("responses").TryGetProperty("422", out _), $"{path} documents no 422");
        }
    }
}
