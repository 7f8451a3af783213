using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Audit;

/// <summary>The keys of one page of a combined search, newest first, and the (possibly capped) size of the set.</summary>
internal sealed record TicketKeysPage(int Total, bool TotalCapped, IReadOnlyList<string> TicketIds);

/// <summary>
/// Searches that combine two or more filters (issue 18). A combination can match densely (SUCCESS and an action type)
/// or not at all (TRADE_EXECUTED and FAILED), and the planner, which assumes the filters independent, cannot tell
/// which: walking one filter's index in list order is then a read of every ticket of that filter to find none, and
/// intersecting bitmaps of two common filters builds both. So the search decides from the data, in bounded steps:
/// <list type="number">
/// <item>The leading filter (the most selective one with an index in list order) is walked, newest first, over at most
/// <see cref="Window"/> index entries. Its index carries the other filters' columns, so the walk is index-only.</item>
/// <item>If that walk finds the page, the page comes from it (a dense combination).</item>
/// <item>Otherwise the matches are few: the GIN index over every equality filter and the tags intersects their posting
/// lists, skipping through the long ones, and the keys are sorted here.</item>
/// </list>
/// </summary>
internal static class TicketCombinedSearch
{
    /// <summary>How many index entries of the leading filter the dense attempt reads at most.</summary>
    internal const int Window = 20_000;

    /// <summary>
    /// True when the filter combines two or more filters. An entity id or a ticket id is selective on its own and keeps
    /// the single-filter plan.
    /// </summary>
    public static bool Applies(TicketFilter f)
    {
        if (!string.IsNullOrEmpty(f.EntityId) || TicketNumber.TryParse(f.Search?.Trim(), out _, out _))
        {
            return false;
        }

        var filters = new[]
        {
            f.DateFrom is not null || f.DateTo is not null, f.ActionTypes.Count > 0, f.UserId is not null,
            f.MarketMakerId is not null, f.MarketMakerActionsOnly, !string.IsNullOrEmpty(f.Status),
            !string.IsNullOrEmpty(f.EntityType), !string.IsNullOrEmpty(f.Search), f.Tags.Count > 0,
        };
        return filters.Count(present => present) >= 2;
    }

    public static async Task<TicketKeysPage> SearchAsync(
        MarketMakersDbContext db, TicketFilter filter, TicketKeyRange range, PageRequest page, CancellationToken ct)
    {
        var (leadFilter, rest) = Split(filter);
        var lead = range.Apply(TicketQueries.Apply(db.Tickets.AsNoTracking(), leadFilter));
        var everything = TicketQueries.Apply(lead, rest);
        var wanted = (long)page.Offset + page.Limit;

        // 1. A leading filter of at most Window tickets bounds every walk below: count and page exactly.
        var leadSize = await lead.Take(Window + 1).CountAsync(ct);
        if (leadSize <= Window)
        {
            var counted = await everything.Take(TicketQueries.TotalCap + 1).CountAsync(ct);
            var capped = counted > TicketQueries.TotalCap;
            var total = capped ? TicketQueries.TotalCap : counted;
            return new TicketKeysPage(total, capped, capped || page.Offset < total ? await KeysAsync(everything, page, ct) : []);
        }

        // 2. The newest Window tickets of the leading filter hold the page: a dense combination. Its total is a lower
        //    bound (what the window holds): counting further would read the whole leading filter.
        var window = TicketQueries.Apply(Newest(lead).Take(Window), rest);
        var hits = await window.CountAsync(ct);
        if (hits >= wanted)
        {
            return new TicketKeysPage(Math.Min(hits, TicketQueries.TotalCap), true, await KeysAsync(window, page, ct));
        }

        // 3. Few matches: intersect in the GIN index. Index scans are switched off for this one statement so that the
        //    planner, which expects a dense combination, cannot fall back to the walk that step 2 just ruled out.
        List<(int Year, long Number)> keys;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Database.ExecuteSqlRawAsync(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL work_mem = '16MB'", ct);
            keys = (await everything.Select(t => new { t.Year, t.Number }).Take(TicketQueries.SmallSet + 1).ToListAsync(ct))
                .Select(k => (k.Year, k.Number)).ToList();
            await tx.CommitAsync(ct);
        }

        if (keys.Count <= TicketQueries.SmallSet)
        {
            var ids = keys.OrderByDescending(k => k.Year).ThenByDescending(k => k.Number)
                .Skip(page.Offset).Take(page.Limit).Select(k => TicketNumber.Format(k.Year, k.Number)).ToList();
            return new TicketKeysPage(keys.Count, false, ids);
        }

        // Many matches, but none among the newest of the leading filter (older history): the ordered walk reaches them.
        return new TicketKeysPage(TicketQueries.SmallSet, true, await KeysAsync(everything, page, ct));
    }

    /// <summary>The leading filter (with the cursor) and the rest, applied on top of it.</summary>
    private static (TicketFilter Lead, TicketFilter Others) Split(TicketFilter f)
    {
        var lead = new TicketFilter { AsOf = f.AsOf };
        var rest = f with { AsOf = null };
        if (f.UserId is { } user)
        {
            return (lead with { UserId = user }, rest with { UserId = null });
        }

        if (f.MarketMakerId is { } mm)
        {
            return (lead with { MarketMakerId = mm }, rest with { MarketMakerId = null });
        }

        if (f.ActionTypes.Count == 1)
        {
            return (lead with { ActionTypes = f.ActionTypes }, rest with { ActionTypes = [] });
        }

        if (!string.IsNullOrEmpty(f.EntityType))
        {
            return (lead with { EntityType = f.EntityType }, rest with { EntityType = null });
        }

        if (!string.IsNullOrEmpty(f.Status))
        {
            return (lead with { Status = f.Status }, rest with { Status = null });
        }

        return (lead, rest); // the list order itself
    }

    private static IQueryable<Ticket> Newest(IQueryable<Ticket> q) =>
        q.OrderByDescending(t => t.Year).ThenByDescending(t => t.Number);

    /// <summary>One page of keys; index-only, as every filter column is in the walked index.</summary>
    private static async Task<IReadOnlyList<string>> KeysAsync(IQueryable<Ticket> q, PageRequest page, CancellationToken ct) =>
        (await Newest(q).Skip(page.Offset).Take(page.Limit).Select(t => new { t.Year, t.Number }).ToListAsync(ct))
            .Select(k => TicketNumber.Format(k.Year, k.Number)).ToList();
}
