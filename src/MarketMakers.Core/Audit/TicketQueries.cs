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

/// <summary>Read side of the audit trail: lookups, filtered pages, streaming export. Never tracks entities.</summary>
public sealed class TicketQueries(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public async Task<TicketView?> GetAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.TicketId == ticketId, cancellationToken);
        return ticket is null ? null : TicketView.From(ticket);
    }

    /// <summary>Newest first, by ticket number within year, so a page boundary never depends on clock ties.</summary>
    public async Task<Page<TicketView>> SearchAsync(TicketFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Apply(db.Tickets.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(t => t.Year).ThenByDescending(t => t.Number)
            .Skip(page.Offset).Take(page.Limit)
            .ToListAsync(cancellationToken);
        return new Page<TicketView>(total, rows.Select(TicketView.From).ToList());
    }

    /// <summary>Streams every matching ticket without loading them all: one row in memory at a time.</summary>
    public async IAsyncEnumerable<TicketView> StreamAsync(TicketFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Apply(db.Tickets.AsNoTracking(), filter).OrderByDescending(t => t.Year).ThenByDescending(t => t.Number);
        await foreach (var ticket in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return TicketView.From(ticket);
        }
    }

    private static IQueryable<Ticket> Apply(IQueryable<Ticket> q, TicketFilter f)
    {
        if (f.DateFrom is { } from)
        {
            q = q.Where(t => t.Timestamp >= from);
        }

        if (f.DateTo is { } to)
        {
            q = q.Where(t => t.Timestamp <= to);
        }

        if (f.ActionTypes.Count > 0)
        {
            var types = f.ActionTypes.ToArray();
            q = q.Where(t => types.Contains(t.ActionType));
        }

        if (f.UserId is { } user)
        {
            q = q.Where(t => t.UserId == user);
        }

        if (f.MarketMakerId is { } mm)
        {
            q = q.Where(t => t.MarketMakerId == mm);
        }

        if (f.MarketMakerActionsOnly)
        {
            q = q.Where(t => t.MarketMakerId != null);
        }

        if (!string.IsNullOrEmpty(f.Status))
        {
            q = q.Where(t => t.Status == f.Status);
        }

        if (!string.IsNullOrEmpty(f.EntityType))
        {
            q = q.Where(t => t.EntityType == f.EntityType);
        }

        if (!string.IsNullOrEmpty(f.EntityId))
        {
            q = q.Where(t => t.EntityId == f.EntityId);
        }

        if (!string.IsNullOrEmpty(f.Search))
        {
            var term = f.Search.Trim();
            q = q.Where(t => t.TicketId == term || t.Tags.Contains(term));
        }

        foreach (var tag in f.Tags)
        {
            q = q.Where(t => t.Tags.Contains(tag));
        }

        return q;
    }
}
