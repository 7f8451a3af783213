using global::MarketMakers.Core.Matching;

namespace MarketMakers.Web.Components.Shared.Market;

/// <summary>One certificate type's book as the live book component shows it (SPEC §4 fields).</summary>
public sealed record BookModel(
    string CertificateType,
    IReadOnlyList<DepthLevel> Bids,
    IReadOnlyList<DepthLevel> Asks,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Spread,
    decimal? MidPrice,
    decimal? LastPrice,
    decimal Volume24h)
{
    public static BookModel Empty(string certificateType) => new(certificateType, [], [], null, null, null, null, null, 0m);

    /// <summary>The deepest cumulative quantity on either side: the 100% width of the depth bars.</summary>
    public long MaxCumulative =>
        Math.Max(Bids.Count > 0 ? Bids[^1].CumulativeQuantity : 0, Asks.Count > 0 ? Asks[^1].CumulativeQuantity : 0);
}
