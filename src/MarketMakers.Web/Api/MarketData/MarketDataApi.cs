using MarketMakers.Core.MarketData;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.MarketData;

/// <summary>
/// Public market data, like the public order book: price candles and the trade tape of one instrument. Anonymous
/// (it names no holder); <c>GET /cash-market/trades</c> stays the signed-in user's own trades.
/// </summary>
public static class MarketDataApi
{
    public static void MapMarketDataApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/cash-market").WithTags("Market Data");
        g.MapGet("/candles", CandlesAsync).AllowAnonymous().WithName("CashMarketCandles")
            .WithSummary("Price candles (OHLCV) of one instrument")
            .WithDescription(
                "The newest `limit` buckets (default 60, at most 1000) of `bucket` = 1m, 1h or 1d (default 1m), oldest first, ending with "
                + "the UTC bucket that holds now. Each has open, high, low and close (null when the bucket had no trade), volume (certificates) "
                + "and trades. `previous_close` is the last price before the first bucket. Public: no sign-in needed. An unknown "
                + "certificate_type or bucket, or a bad limit, is 422.");
        g.MapGet("/tape", TapeAsync).AllowAnonymous().WithName("CashMarketTape")
            .WithSummary("The public trade tape of one instrument")
            .WithDescription(
                "The newest `limit` trades (default 50, at most 500), newest first: time, price, quantity and the aggressor side (the side "
                + "of the incoming order that took liquidity). No holder, order or Market Maker is named. Public: no sign-in needed. An "
                + "unknown certificate_type or a bad limit is 422.");
    }

    private static async Task<Ok<CandleSeries>> CandlesAsync(
        MarketDataQueries queries, string? certificate_type, string? bucket, string? limit, CancellationToken ct) =>
        TypedResults.Ok(await queries.CandlesAsync(
            CertificateType.Parse(certificate_type),
            string.IsNullOrWhiteSpace(bucket) ? CandleBucket.Minute : CandleBucket.Parse(bucket),
            MarketDataQueries.Limit(limit, MarketDataQueries.DefaultCandles, MarketDataQueries.MaxCandles),
            ct));

    private static async Task<Ok<TradeTape>> TapeAsync(MarketDataQueries queries, string? certificate_type, string? limit, CancellationToken ct) =>
        TypedResults.Ok(await queries.TapeAsync(
            CertificateType.Parse(certificate_type), MarketDataQueries.Limit(limit, MarketDataQueries.DefaultTape, MarketDataQueries.MaxTape), ct));
}
