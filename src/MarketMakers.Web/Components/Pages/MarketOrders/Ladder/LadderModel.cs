using MarketMakers.Core.Orders;

namespace MarketMakers.Web.Components.Pages.MarketOrders.Ladder;

/// <summary>One editable level of the ladder editor.</summary>
public sealed class LadderRow
{
    public decimal? Price { get; set; }

    public decimal? Quantity { get; set; }
}

/// <summary>
/// The ladder as the editor holds it: rows per side, the "generate" rule, and the preview figures (spread, what the
/// replace would lock). The server decides; the preview only tells the user before sending.
/// </summary>
public sealed class LadderModel
{
    public List<LadderRow> Bids { get; } = [];

    public List<LadderRow> Asks { get; } = [];

    /// <summary>
    /// <paramref name="levels"/> bids from mid − step down and as many asks from mid + step up, <paramref name="step"/>
    /// apart, each of <paramref name="size"/>; prices are rounded to the 0.01 tick.
    /// </summary>
    public void Generate(decimal mid, decimal step, decimal size, int levels)
    {
        Bids.Clear();
        Asks.Clear();
        for (var i = 1; i <= levels; i++)
        {
            Bids.Add(new LadderRow { Price = decimal.Round(mid - i * step, 2), Quantity = size });
            Asks.Add(new LadderRow { Price = decimal.Round(mid + i * step, 2), Quantity = size });
        }
    }

    public decimal? BestBid => Bids.Where(r => r.Price > 0).Select(r => r.Price).Max();

    public decimal? BestAsk => Asks.Where(r => r.Price > 0).Select(r => r.Price).Min();

    public decimal? Spread => BestBid is { } b && BestAsk is { } a ? a - b : null;

    /// <summary>EUR the bids lock: Σ price × quantity.</summary>
    public decimal EurToLock => Bids.Sum(r => (r.Price ?? 0) * (r.Quantity ?? 0));

    /// <summary>Certificates the asks lock: Σ quantity.</summary>
    public decimal CertificatesToLock => Asks.Sum(r => r.Quantity ?? 0);

    public bool IsEmpty => Bids.Count == 0 && Asks.Count == 0;

    /// <summary>The command, parsed by the same rules as the API (a refusal names the level, e.g. bids[3].price).</summary>
    public ReplaceQuotes ToCommand(MarketMakerId marketMaker, CertificateType certificate) =>
        ReplaceQuotes.Parse(marketMaker, certificate, Raw(Bids), Raw(Asks));

    private static List<(decimal?, decimal?)> Raw(List<LadderRow> rows) => [.. rows.Select(r => (r.Price, r.Quantity))];
}
