using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Orders;

/// <summary>One level of a quote ladder: a price on the tick and a whole quantity.</summary>
public sealed record QuoteLevel(Price Price, Quantity Quantity);

/// <summary>
/// Replaces one Market Maker's open orders on one instrument with a new two-sided ladder (QUOTES_REPLACED, SPEC §4b),
/// or pulls them all when both sides are empty. Parsed once at the boundary: every level's price and quantity, at most
/// <see cref="MaxLevels"/> per side, and no bid at or above an ask of the same ladder (it would trade with itself).
/// A refusal names the level, as <c>bids[6]</c> (zero-based, the index in the request).
/// </summary>
public sealed record ReplaceQuotes : Command
{
    public const int MaxLevels = 20;

    private ReplaceQuotes(MarketMakerId marketMakerId, CertificateType certificateType, IReadOnlyList<QuoteLevel> bids, IReadOnlyList<QuoteLevel> asks, bool pull) =>
        (MarketMakerId, CertificateType, Bids, Asks, IsPull) = (marketMakerId, certificateType, bids, asks, pull);

    public MarketMakerId MarketMakerId { get; }

    public CertificateType CertificateType { get; }

    public IReadOnlyList<QuoteLevel> Bids { get; }

    public IReadOnlyList<QuoteLevel> Asks { get; }

    /// <summary>DELETE on the ladder's path: cancel the quotes, place nothing (allowed on a halted market).</summary>
    public bool IsPull { get; }

    /// <summary>The levels in placement order with their names: bids as sent, then asks as sent.</summary>
    public IEnumerable<(string Name, OrderTerms Terms)> Levels() =>
        Bids.Select((l, i) => ($"bids[{i}]", new OrderTerms(CertificateType, OrderSide.Buy, l.Price, l.Quantity)))
            .Concat(Asks.Select((l, i) => ($"asks[{i}]", new OrderTerms(CertificateType, OrderSide.Sell, l.Price, l.Quantity))));

    public static ReplaceQuotes Pull(MarketMakerId marketMakerId, CertificateType certificateType) => new(marketMakerId, certificateType, [], [], true);

    /// <summary>Parses raw levels (price, quantity as sent); <paramref name="bids"/> or <paramref name="asks"/> null means that side is empty.</summary>
    public static ReplaceQuotes Parse(
        MarketMakerId marketMakerId, CertificateType certificateType,
        IReadOnlyList<(decimal? Price, decimal? Quantity)>? bids, IReadOnlyList<(decimal? Price, decimal? Quantity)>? asks)
    {
        var parsedBids = Side("bids", bids ?? []);
        var parsedAsks = Side("asks", asks ?? []);
        if (parsedBids.Count > 0 && parsedAsks.Count > 0)
        {
            var (bestBid, bidIndex) = parsedBids.Select((l, i) => (l.Price.Value, i)).MaxBy(x => x.Value);
            var (bestAsk, askIndex) = parsedAsks.Select((l, i) => (l.Price.Value, i)).MinBy(x => x.Value);
            if (bestBid >= bestAsk)
            {
                throw DomainException.Validation(
                    $"bids[{bidIndex}]: the bid {bestBid:0.00} is at or above the ladder's own ask asks[{askIndex}] {bestAsk:0.00}; a ladder must not cross itself.");
            }
        }

        return new ReplaceQuotes(marketMakerId, certificateType, parsedBids, parsedAsks, false);
    }

    private static List<QuoteLevel> Side(string name, IReadOnlyList<(decimal? Price, decimal? Quantity)> levels)
    {
        if (levels.Count > MaxLevels)
        {
            throw DomainException.Validation($"'{name}' has {levels.Count} levels; at most {MaxLevels} per side.");
        }

        return [.. levels.Select((l, i) => new QuoteLevel(
            Named($"{name}[{i}].price", () => Core.Values.Price.Parse(l.Price)),
            Named($"{name}[{i}].quantity", () => Core.Values.Quantity.Parse(l.Quantity))))];
    }

    private static T Named<T>(string level, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (DomainException ex)
        {
            throw Level(level, ex);
        }
    }

    /// <summary>The same refusal, prefixed with the level it belongs to.</summary>
    internal static DomainException Level(string level, DomainException ex) => new(ex.Kind, $"{level}: {ex.Message}", ex.Reason, ex);

    public override TicketDraft Draft() => Ticket(MarketMakerId.ToString(), CertificateType.Value, IsPull, new
    {
        certificate_type = CertificateType.Value,
        bids = Bids.Select(l => new { price = l.Price.Value, quantity = l.Quantity.Value }),
        asks = Asks.Select(l => new { price = l.Price.Value, quantity = l.Quantity.Value }),
    });

    /// <summary>The ticket of a replace or a pull, also for a request refused before it could be parsed.</summary>
    public static TicketDraft Ticket(string? marketMakerId, string? certificateType, bool pull, object? request)
    {
        var draft = new TicketDraft(ActionTypes.QuotesReplaced, EntityTypes.MarketMaker)
        {
            EntityId = marketMakerId,
            MarketMakerId = Guid.TryParse(marketMakerId, out var mm) ? mm : null,
            Request = request,
        };
        draft.Tags.AddRange(["market_maker", "quotes", pull ? "pull" : "replace"]);
        if (certificateType is not null)
        {
            draft.Tags.Add(certificateType.ToLowerInvariant());
        }

        return draft;
    }
}

/// <summary>What a replace did: the new orders as they stood after matching, and the orders it cancelled.</summary>
public sealed record QuoteReplaceResult(IReadOnlyList<OrderView> Orders, int Cancelled, IReadOnlyList<Guid> CancelledOrderIds);
