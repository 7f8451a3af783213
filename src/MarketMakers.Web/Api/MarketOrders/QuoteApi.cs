using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;

namespace MarketMakers.Web.Api.MarketOrders;

/// <summary>
/// Quote ladders (SPEC §4b): replace a Market Maker's quotes on one instrument with a new ladder, or pull them. The
/// rules live in <see cref="QuoteService"/>, which the ladder editor calls too.
/// </summary>
public static class QuoteApi
{
    public static void MapQuoteApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/market-makers/{id}/quotes").WithTags(ApiTags.Quotes);
        g.MapPut("/{certificate_type}", (HttpContext http, QuoteService quotes) => AuditedCommand.RunAsync(
                http, ParseReplace, i => Refused(i, pull: false), quotes.ReplaceAsync, QuotesResponse.Of))
            .Desk(ActionTypes.QuotesReplaced, EntityTypes.MarketMaker).WithName("ReplaceQuotes").AcceptsJson(new ReplaceQuotesBody([new LevelBody(69.90m, 100), new LevelBody(69.80m, 100)], [new LevelBody(70.10m, 100), new LevelBody(70.20m, 100)]))
            .WithSummary("Replace a Market Maker's quote ladder")
            .WithDescription("Cancels the Market Maker's open orders on the instrument and places the new levels (at most 20 per side) in one " +
                "transaction under the instrument lock, with one QUOTES_REPLACED ticket linked to every child order's ticket. Levels that " +
                "cross other holders' orders trade as takers. An invalid level changes nothing; its FAILED ticket names the level.");
        g.MapDelete("/{certificate_type}", (HttpContext http, QuoteService quotes) => AuditedCommand.RunAsync(
                http, i => ReplaceQuotes.Pull(MarketMakerId.Parse(i.Route("id")), CertificateType.Parse(i.Route("certificate_type"))),
                i => Refused(i, pull: true), quotes.ReplaceAsync, QuotesResponse.Of))
            .Desk(ActionTypes.QuotesReplaced, EntityTypes.MarketMaker).WithName("PullQuotes")
            .WithSummary("Pull a Market Maker's quotes")
            .WithDescription("Cancels every open order of the Market Maker on the instrument (also on a halted market), with one QUOTES_REPLACED ticket.");
    }

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record ReplaceQuotesBody(IReadOnlyList<LevelBody> Bids, IReadOnlyList<LevelBody> Asks);

    public sealed record LevelBody(decimal Price, long Quantity);

    /// <summary>The new orders as they stand after matching, how many old ones were cancelled (and which), and the QUOTES_REPLACED ticket.</summary>
    public sealed record QuotesResponse(IReadOnlyList<OrderView> Orders, int Cancelled, IReadOnlyList<Guid> CancelledOrderIds, string TicketId)
    {
        public static QuotesResponse Of(QuoteReplaceResult result, string ticketId) => new(result.Orders, result.Cancelled, result.CancelledOrderIds, ticketId);
    }

    private static ReplaceQuotes ParseReplace(CommandInput input)
    {
        var mm = MarketMakerId.Parse(input.Route("id"));
        var certificate = CertificateType.Parse(input.Route("certificate_type"));
        var body = input.Body;
        static (decimal?, decimal?) Level(JsonBody level) => (level.Decimal("price"), level.Decimal("quantity"));
        return ReplaceQuotes.Parse(mm, certificate, body.Objects("bids", Level), body.Objects("asks", Level));
    }

    private static TicketDraft Refused(CommandInput input, bool pull) =>
        ReplaceQuotes.Ticket(input.Route("id"), CertificateType.TryParse(input.Route("certificate_type"), out var c) ? c.Value : null, pull, pull ? null : input.ForAudit());
}
