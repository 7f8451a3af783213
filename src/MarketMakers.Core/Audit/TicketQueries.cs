using System.Text.Json;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Audit;

/// <summary>A ticket as the API and pages show it, payloads parsed back into JSON.</summary>
public sealed record TicketView(
    string TicketId,
    DateTimeOffset Timestamp,
    Guid? UserId,
    Guid? MarketMakerId,
    string ActionType,
    string EntityType,
    string? EntityId,
    string Status,
    JsonElement? RequestPayload,
    JsonElement? ResponseData,
    string? IpAddress,
    string? UserAgent,
    string? SessionId,
    JsonElement? BeforeState,
    JsonElement? AfterState,
    IReadOnlyList<string> RelatedTicketIds,
    IReadOnlyList<string> Tags)
{
    internal static TicketView From(Ticket t) => new(
        t.TicketId, t.Timestamp, t.UserId, t.MarketMakerId, t.ActionType, t.EntityType, t.EntityId, t.Status,
        Parse(t.RequestPayload), Parse(t.ResponseData), t.IpAddress, t.UserAgent, t.SessionId,
        Parse(t.BeforeState), Parse(t.AfterState), t.RelatedTicketIds, t.Tags);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

public sealed class TicketQueries(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public async Task<TicketView?> GetAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.TicketId == ticketId, cancellationToken);
        return ticket is null ? null : TicketView.From(ticket);
    }
}
