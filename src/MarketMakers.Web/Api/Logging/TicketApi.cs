using MarketMakers.Core.Audit;

namespace MarketMakers.Web.Api.Logging;

public static class TicketApi
{
    public static void MapTicketApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/logging/tickets/{ticketId}", async (string ticketId, TicketQueries queries, CancellationToken ct) =>
                await queries.GetAsync(ticketId, ct) is { } ticket
                    ? Results.Ok(ticket)
                    : ApiJson.Error(StatusCodes.Status404NotFound, $"Ticket {ticketId} not found."))
            .WithName("GetTicket")
            .Produces<TicketView>()
            .Produces<ErrorBody>(StatusCodes.Status404NotFound);
    }
}
