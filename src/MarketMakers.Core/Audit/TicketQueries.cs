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

/// <summary>
/// A page of tickets and the size of the matching set. When <paramref name="TotalCapped"/> is set, counting stopped at
/// <paramref name="Total"/> and more tickets match ("10,000+"): an exact count of a large set costs a read of the
/// whole set, which a page of 50 does not need.
/// </summary>
public sealed record TicketPage(int Total, bool TotalCapped, IReadOnlyList<TicketView> Items);

/// <summary>A page of tickets and the cursor (<c>as_of</c>) that pins the set for the following pages.</summary>
public sealed record TicketSearchResult(int Total, bool TotalCapped, IReadOnlyList<TicketView> Tickets, string? AsOf);

/// <summary>Read side of the audit trail: lookups, filtered pages, streaming export. Never tracks entities.</summary>
public sealed class TicketQueries(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    public async Task<TicketView?> GetAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.TicketId == ticketId, cancellationToken);
        return ticket is null ? null : TicketView.From(ticket);
    }

    /// <summary>Counting stops after this many matches; the total is then reported as capped (ADR 0007).</summary>
    public const int TotalCap = 10_000;

    /// <summary>
    /// Up to this many matches, a tag or text search reads the matching keys first and sorts them here, instead of
    /// letting PostgreSQL walk the list order until it has a page: the planner's guess for a tag it has no statistics
    /// for (a rare tag, a ticket id) is 0.5 % of the table, and that walk then reads every ticket to find none.
    /// </summary>
    internal const int SmallSet = 1_000;

    /// <summary>
    /// Newest first, by ticket number within year, so a page boundary never depends on clock ties. The total is exact up
    /// to <see cref="TotalCap"/> (or the end of the requested page, if that is further) and capped beyond it.
    /// </summary>
    public async Task<TicketPage> SearchAsync(TicketFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var range = await TicketKeyRange.ForAsync(db, filter, cancellationToken);
        if (range.Empty)
        {
            return new TicketPage(0, false, []);
        }

        if (TicketCombinedSearch.Applies(filter))
        {
            var keys = await TicketCombinedSearch.SearchAsync(db, filter, range, page, cancellationToken);
            if (keys.TicketIds.Count == 0)
            {
                return new TicketPage(keys.Total, keys.TotalCapped, []); // a zero-match combination needs no row read
            }

            var found = await db.Tickets.AsNoTracking().Where(t => keys.TicketIds.Contains(t.TicketId)).ToDictionaryAsync(t => t.TicketId, cancellationToken);
            return new TicketPage(keys.Total, keys.TotalCapped, keys.TicketIds.Where(found.ContainsKey).Select(id => TicketView.From(found[id])).ToList());
        }

        var query = range.Apply(Apply(db.Tickets.AsNoTracking(), filter));

        // Count at most one past the cap: a LIMITed count is an index range read of that many entries however many match.
        var countUpTo = (int)Math.Clamp((long)page.Offset + page.Limit, TotalCap, int.MaxValue - 1);
        var counted = await query.Take(countUpTo + 1).CountAsync(cancellationToken);
        var capped = counted > countUpTo;
        var total = capped ? countUpTo : counted;
        if (!capped && page.Offset >= total)
        {
            return new TicketPage(total, false, []);
        }

        List<Ticket> rows;
        if (!capped && total <= SmallSet && (!string.IsNullOrEmpty(filter.Search) || filter.Tags.Count > 0))
        {
            // Few matches: the keys come from the GIN/primary-key indexes; sorting a thousand keys here is cheaper
            // than any walk of the list order.
            var keys = await query.Select(t => new { t.TicketId, t.Year, t.Number }).ToListAsync(cancellationToken);
            var ids = keys.OrderByDescending(k => k.Year).ThenByDescending(k => k.Number)
                .Skip(page.Offset).Take(page.Limit).Select(k => k.TicketId).ToArray();
            var byId = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.TicketId)).ToDictionaryAsync(t => t.TicketId, cancellationToken);
            rows = [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
        }
        else
        {
            rows = await query
                .OrderByDescending(t => t.Year).ThenByDescending(t => t.Number)
                .Skip(page.Offset).Take(page.Limit)
                .ToListAsync(cancellationToken);
        }

        return new TicketPage(total, capped, rows.Select(TicketView.From).ToList());
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
        return new TicketSearchResult(result.Total, result.TotalCapped, result.Items, asOf);
    }

    /// <summary>Streams every matching ticket without loading them all: one row in memory at a time.</summary>
    public async IAsyncEnumerable<TicketView> StreamAsync(TicketFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FilteredAsync(db, filter, cancellationToken) is not { } query)
        {
            yield break;
        }

        var ordered = query.OrderByDescending(t => t.Year).ThenByDescending(t => t.Number);
        await foreach (var ticket in ordered.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return TicketView.From(ticket);
        }
    }

    /// <summary>The filter's tickets, bounded by a date range's key range; null when that range holds no ticket at all.</summary>
    private static async Task<IQueryable<Ticket>?> FilteredAsync(MarketMakersDbContext db, TicketFilter filter, CancellationToken cancellationToken)
    {
        var range = await TicketKeyRange.ForAsync(db, filter, cancellationToken);
        return range.Empty ? null : range.Apply(Apply(db.Tickets.AsNoTracking(), filter));
    }

    internal static IQueryable<Ticket> Apply(IQueryable<Ticket> q, TicketFilter f)
    {
        if (f.DateFrom is { } from)
        {
            q = q.Where(t => t.Timestamp >= from);
        }

        if (f.DateTo is { } to)
        {
            q = q.Where(t => t.Timestamp <= to);
        }

        if (f.ActionTypes.Count == 1)
        {
            // Equality, not "= ANY": only an equality lets the (action_type, year, number) index give the list order.
            var type = f.ActionTypes[0];
            q = q.Where(t => t.ActionType == type);
        }
        else if (f.ActionTypes.Count > 1)
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
            // Only a term shaped like a ticket id can equal one: other terms skip the ticket_id branch, so the
            // condition stays a plain tag containment that the GIN index (or the list-order walk) serves alone.
            q = TicketNumber.TryParse(term, out _, out _)
                ? q.Where(t => t.TicketId == term || asTag.All(x => t.Tags.Contains(x)))
                : q.Where(t => asTag.All(x => t.Tags.Contains(x)));
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

            // A row comparison, so that the walk of the list order starts at the cursor instead of filtering its way to it.
            q = q.Where(t => EF.Functions.LessThanOrEqual(ValueTuple.Create(t.Year, t.Number), ValueTuple.Create(year, number)));
        }

        return q;
    }
}
