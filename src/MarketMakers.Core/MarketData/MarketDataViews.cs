namespace MarketMakers.Core.MarketData;

/// <summary>
/// One candle: the trades executed in [<see cref="Start"/>, start + bucket). A bucket without trades has no prices
/// (null), volume 0 and trades 0, so the series is contiguous and a chart's time axis is honest.
/// </summary>
public sealed record Candle(DateTimeOffset Start, decimal? Open, decimal? High, decimal? Low, decimal? Close, long Volume, int Trades);

/// <summary>
/// The newest candles of one instrument, oldest first, ending with the bucket that holds now.
/// <see cref="PreviousClose"/> is the last price before the first bucket, so a chart can draw the line through
/// leading empty buckets without inventing a price.
/// </summary>
public sealed record CandleSeries(string CertificateType, string Bucket, decimal? PreviousClose, IReadOnlyList<Candle> Candles);

/// <summary>
/// One print of the public trade tape. It names no holder, order or Market Maker (public market data); the aggressor
/// is the side of the order that arrived last, i.e. the incoming order that took liquidity (a trade always
/// executes at the resting order's price).
/// </summary>
public sealed record TapeTrade(Guid Id, DateTimeOffset ExecutedAt, decimal Price, long Quantity, string AggressorSide);

public sealed record TradeTape(string CertificateType, IReadOnlyList<TapeTrade> Trades);
