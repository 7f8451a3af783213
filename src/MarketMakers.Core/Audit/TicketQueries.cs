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

/// <summary>A page of tickets and the cursor (<c>as_of</c>) that pins the set for the following pages.</summary>
public sealed record TicketSearchResult(int Total, IReadOnlyList<TicketView> Tickets, string? AsOf);

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

    /// <summary>
    /// <see cref="SearchAsync"/> pinned to a cursor: without <see cref="TicketFilter.AsOf"/> the set is pinned to the
    /// newest ticket now, and that ticket id is returned, so the caller can pass it back for the following pages and
    /// see the same set however many tickets are written meanwhile.
    /// </summary>
    public async Task<TicketSearchResult> SearchPinnedAsync(TicketFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var asOf = filter.AsOf;
        if (asOf is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            asOf = await db.Tickets.AsNoTracking()
                .OrderByDescending(t => t.Year).ThenByDescending(t => t.Number)
                .Select(t => t.TicketId)
                .FirstOrDefaultAsync(cancellationToken);
        }

        var result = await SearchAsync(asOf is null ? filter : filter with { AsOf = asOf }, page, cancellationToken);
        return new TicketSearchResult(result.Total, result.Items, asOf);
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

        // Tag tests are written as array containment (Npgsql sends "@tags <@ t.tags", i.e. tags @> @tags) so the
        // GIN index on tags serves them; "x = ANY(tags)" cannot use it.
        if (!string.IsNullOrEmpty(f.Search))
        {
            var term = f.Search.Trim();
            var asTag = new[] { term };
            q = q.Where(t => t.TicketId == term || asTag.All(x => t.Tags.Contains(x)));
        }

        if (f.Tags.Count > 0)
        {
            var tags = f.Tags.Distinct(StringComparer.Ordinal).ToArray();
            q = q.Where(t => tags.All(x => t.Tags.Contains(x)));
        }

        if (f.AsOf is not null)
        {
            if (!TicketNumber.TryParse(f.AsOf, out var year, out var number))
            {
                throw DomainException.Validation("as_of must be a ticket id (TKT-YYYY-NNNNNN).");
            }

            q = q.Where(t => t.Year < year || (t.Year == year && t.Number <= number));
        }

        return q;
    }
}
