using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

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
        var logging = admin.MapGroup("/logging").WithTags(ApiTags.Logging);
        logging.MapGet("/tickets", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, TicketFilterBinder.Parse(r.Query), r, ct)).WithName("SearchTickets")
            .Documented("Search tickets", "Audit tickets newest first, filtered by any combination of the parameters, with the `total` that match. Pass the first page's `as_of` back so later pages see the same set.")
            .TicketFilters().Paged();
        // A streamed file carries no response metadata: the CSV 200 is declared here.
        logging.MapGet("/tickets/export", (HttpRequest r, TicketQueries q) =>
            TicketCsv.Export(q, TicketFilterBinder.Parse(r.Query))).WithName("ExportTickets").ProducesFiles("text/csv")
            .Documented("Export tickets as CSV", "Every ticket matching the filters, streamed as CSV (one row per ticket, newest first).")
            .TicketFilters();
        logging.MapGet("/tickets/{ticketId}", GetAsync).WithName("GetTicket")
            .Documented("Get a ticket", "One audit ticket with its request, response, before and after states and related tickets.");
        logging.MapGet("/stats", async (HttpRequest r, TicketStatistics s, CancellationToken ct) =>
            TypedResults.Ok(await s.ComputeAsync(TicketFilterBinder.Date(r.Query, "date_from"), TicketFilterBinder.Date(r.Query, "date_to"), ct)))
            .WithName("TicketStats")
            .Documented("Ticket statistics", "Counts of actions in the range: total, successes and failures, by action type, the ten most active users, and actions over time.")
            .Query("date_from", "Inclusive lower bound, an ISO 8601 date or instant.", ParameterKind.DateTime)
            .Query("date_to", "Inclusive upper bound, an ISO 8601 date or instant.", ParameterKind.DateTime);
        logging.MapGet("/verify", async (AuditChainVerifier verifier, CancellationToken ct) => TypedResults.Ok(await verifier.VerifyAsync(ct)))
            .WithName("VerifyAuditChain")
            .Documented("Verify the audit chain", "Recomputes the tamper-evident digest chain over the sealed tickets; `first_broken_ticket_id` names the first ticket that no longer matches.");
        logging.MapCheckpointApi();
        logging.MapGet("/market-maker-actions", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, new TicketFilter { MarketMakerActionsOnly = true, AsOf = TicketFilterBinder.AsOf(r.Query) }, r, ct)).WithName("MarketMakerActions")
            .Documented("List Market Maker actions", "Tickets of actions on Market Makers (creation, funding, orders, trades), newest first.")
            .Paged();
        logging.MapGet("/failed-actions", (HttpRequest r, TicketQueries q, CancellationToken ct) =>
            ListAsync(q, new TicketFilter { Status = TicketStatus.Failed, AsOf = TicketFilterBinder.AsOf(r.Query) }, r, ct)).WithName("FailedActions")
            .Documented("List failed actions", "FAILED tickets (refused or failed actions, failed sign-ins included), newest first.")
            .Paged();
    }

    /// <summary>The §7 filters, read by <see cref="TicketFilterBinder"/> from the query string.</summary>
    private static RouteHandlerBuilder TicketFilters(this RouteHandlerBuilder endpoint) => endpoint
        .Query("date_from", "Tickets at or after this ISO 8601 date or instant.", ParameterKind.DateTime)
        .Query("date_to", "Tickets at or before this ISO 8601 date or instant.", ParameterKind.DateTime)
        .Query("action_type", "Only these action types (repeatable), e.g. `MM_ORDER_PLACED`.", ParameterKind.Repeatable)
        .Query("user_id", "Only tickets of this user (a UUID).", ParameterKind.Uuid)
        .Query("market_maker_id", "Only tickets about this Market Maker (a UUID).", ParameterKind.Uuid)
        .Query("status", "Only SUCCESS or only FAILED tickets.", "SUCCESS", "FAILED")
        .Query("entity_type", "Only tickets about this kind of entity, e.g. `ORDER`.")
        .Query("entity_id", "Only tickets about this entity id.")
        .Query("search", "A ticket id, or a tag.")
        .Query("tags", "Only tickets carrying all of these tags (repeatable).", ParameterKind.Repeatable);

    private static RouteHandlerBuilder Paged(this RouteHandlerBuilder endpoint) => endpoint
        .Query("limit", "Page size: 1 to 1000, default 100.", ParameterKind.Integer)
        .Query("offset", "How many tickets to skip, default 0.", ParameterKind.Integer)
        .Query("as_of", "The paging cursor, a ticket id from the first page's `as_of`: later pages hold only tickets at or below it.", ParameterKind.TicketId);

    private static async Task<Ok<TicketList>> ListAsync(TicketQueries queries, TicketFilter filter, HttpRequest request, CancellationToken ct)
    {
        var page = await queries.SearchPinnedAsync(filter, TicketFilterBinder.Page(request.Query), ct);
        return TypedResults.Ok(new TicketList(page.Total, page.Tickets, page.AsOf, page.TotalCapped));
    }

    private static async Task<Results<Ok<TicketView>, NotFound<ErrorBody>>> GetAsync(string ticketId, TicketQueries queries, CancellationToken ct) =>
        await queries.GetAsync(ticketId, ct) is { } ticket ? TypedResults.Ok(ticket) : ApiJson.NotFound($"Ticket {ticketId} not found.");
}
