using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;

namespace MarketMakers.Web.Api.Logging;

/// <summary>
/// A page of tickets; <c>as_of</c> is the cursor to pass back so the following pages see the same set. When
/// <c>total_capped</c> is true, counting stopped at <c>total</c> and more tickets match (shown as "10,000+").
/// </summary>
public sealed record TicketList(int Total, IReadOnlyList<TicketView> Tickets, string? AsOf, bool TotalCapped);

/// <summary>The logging endpoints under <c>/api/v1/admin/logging</c>. Read-only: they write no tickets.</summary>
public static class LoggingApi
{
    public static void MapLoggingApi(this RouteGroupBuilder admin)
    {
        var logging = admin.MapGroup("/logging").WithTags("Logging");
        logging.MapGet("/tickets", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, TicketFilterBinder.Parse(r.Query), r, ct)).WithName("SearchTickets").Produces<TicketList>();
        logging.MapGet("/tickets/export", (HttpRequest r, TicketQueries q) =>
            TicketCsv.Export(q, TicketFilterBinder.Parse(r.Query))).WithName("ExportTickets").Produces(200, contentType: "text/csv");
        logging.MapGet("/tickets/{ticketId}", GetAsync).WithName("GetTicket").Produces<TicketView>().Produces<ErrorBody>(404);
        logging.MapGet("/stats", (HttpRequest r, TicketStatistics s, CancellationToken ct) =>
            s.ComputeAsync(TicketFilterBinder.Date(r.Query, "date_from"), TicketFilterBinder.Date(r.Query, "date_to"), ct))
            .WithName("TicketStats").Produces<TicketStats>();
        logging.MapGet("/verify", (AuditChainVerifier verifier, CancellationToken ct) => verifier.VerifyAsync(ct))
            .WithName("VerifyAuditChain").Produces<ChainVerification>();
        logging.MapCheckpointApi();
        logging.MapGet("/market-maker-actions", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, new TicketFilter { MarketMakerActionsOnly = true, AsOf = TicketFilterBinder.AsOf(r.Query) }, r, ct)).WithName("MarketMakerActions").Produces<TicketList>();
        logging.MapGet("/failed-actions", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, new TicketFilter { Status = TicketStatus.Failed, AsOf = TicketFilterBinder.AsOf(r.Query) }, r, ct)).WithName("FailedActions").Produces<TicketList>();
    }

    private static async Task<TicketList> ListAsync(TicketQueries queries, TicketFilter filter, HttpRequest request, CancellationToken ct)
    {
        var page = await queries.SearchPinnedAsync(filter, TicketFilterBinder.Page(request.Query), ct);
        return new TicketList(page.Total, page.Tickets, page.AsOf, page.TotalCapped);
    }

    private static async Task<IResult> GetAsync(string ticketId, TicketQueries queries, CancellationToken ct) =>
        await queries.GetAsync(ticketId, ct) is { } ticket
            ? Results.Ok(ticket)
            : ApiJson.Error(StatusCodes.Status404NotFound, $"Ticket {ticketId} not found.");
}
