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
/// <item>A probe walks the newest <see cref="Probe"/> index entries of the leading filter (the most selective one
/// with an index in list order; its index carries the other filters' columns, so the walk is index-only) until it
/// has the page. A dense combination fills the page there and stops early.</item>
/// <item>If the probe has the page, so does the window of the newest <see cref="Window"/> entries that the total is
/// counted over.</item>
/// <item>Otherwise the matches are few: the GIN index over every equality filter and the tags intersects their posting
/// lists, skipping through the long ones, and the keys are sorted here. A zero or sparse combination thus never pays
/// for the window.</item>
/// </list>
/// Whichever step answers, the page and the total are those of the window rule (exact when the leading filter fits
/// in the window or the matches are few, else the matches in the window as a lower bound).
/// </summary>
internal static class TicketCombinedSearch
{
    /// <summary>How many index entries of the leading filter the dense count reads at most.</summary>
    internal const int Window = 20_000;

    /// <summary>
    /// How many index entries of the leading filter the probe reads at most before the GIN intersection takes over:
    /// small enough that a combination matching nothing costs little more than the intersection, large enough that
    /// a combination matching one ticket in 40 of its leading filter still fills a page of 50 in the probe.
    /// </summary>
    internal const int Probe = 2_000;

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
        if (wanted > Probe)
        {
            // A deep page: the probe cannot hold it, so the window decides as it did before the probe.
            return await WindowedAsync(lead, everything, rest, page, null, ct)
                ?? await IntersectedAsync(db, lead, everything, rest, page, windowTried: true, ct);
        }

        // 1. The probe: the first `wanted` matches among the newest Probe entries of the leading filter.
        var probed = await KeysAsync(TicketQueries.Apply(Newest(lead).Take(Probe), rest), 0, (int)wanted, ct);
        if (probed.Count == wanted)
        {
            // 2. Dense: the window (a superset of the probe) holds the page too, so only its total is counted. Without
            //    a cursor, tickets written since the probe could push the page out of the window: then as a deep page.
            var pageKeys = probed.Skip(page.Offset).Select(Format).ToList();
            return await WindowedAsync(lead, everything, rest, page, pageKeys, ct)
                ?? await IntersectedAsync(db, lead, everything, rest, page, windowTried: true, ct);
        }

        // 3. Sparse or empty.
        return await IntersectedAsync(db, lead, everything, rest, page, windowTried: false, ct);
    }

    /// <summary>
    /// The window rule: a leading filter of at most <see cref="Window"/> tickets is counted exactly (up to the cap);
    /// a larger one answers from its newest Window entries if they hold the page (a dense combination), with their
    /// matches as a lower bound of the total, since counting further would read the whole leading filter. Null when
    /// the window does not hold the page. <paramref name="knownPage"/>, when given, is the page already found.
    /// </summary>
    private static async Task<TicketKeysPage?> WindowedAsync(IQueryable<Ticket> lead, IQueryable<Ticket> everything,
        TicketFilter rest, PageRequest page, IReadOnlyList<string>? knownPage, CancellationToken ct)
    {
        var leadSize = await lead.Take(Window + 1).CountAsync(ct);
        if (leadSize <= Window)
        {
            var counted = await everything.Take(TicketQueries.TotalCap + 1).CountAsync(ct);
            var capped = counted > TicketQueries.TotalCap;
            var total = capped ? TicketQueries.TotalCap : counted;
            return new TicketKeysPage(total, capped, capped || page.Offset < total ? knownPage ?? await PageAsync(everything, page, ct) : []);
        }

        var window = TicketQueries.Apply(Newest(lead).Take(Window), rest);
        var hits = await window.CountAsync(ct);
        return hits >= (long)page.Offset + page.Limit
            ? new TicketKeysPage(Math.Min(hits, TicketQueries.TotalCap), true, knownPage ?? await PageAsync(window, page, ct))
            : null;
    }

    /// <summary>
    /// Few matches, as the probe found: their keys come from the GIN intersection and are sorted here. The total and the
    /// page are still those of the window rule, which the keys decide in memory: with fewer matches than the page end,
    /// no window can hold the page and the count is exact; otherwise the position of the window's last entry tells
    /// how many of them the window holds. <paramref name="windowTried"/>: the window rule already found no page.
    /// </summary>
    private static async Task<TicketKeysPage> IntersectedAsync(MarketMakersDbContext db, IQueryable<Ticket> lead,
        IQueryable<Ticket> everything, TicketFilter rest, PageRequest page, bool windowTried, CancellationToken ct)
    {
        var wanted = (long)page.Offset + page.Limit;
        var keys = await IntersectAsync(db, everything, ct);
        if (keys.Count > TicketQueries.SmallSet)
        {
            // Many matches, but few among the newest of the leading filter (older history): the window rule, and the
            // ordered walk of the whole set when the window does not hold the page either.
            var windowed = windowTried ? null : await WindowedAsync(lead, everything, rest, page, null, ct);
            return windowed ?? new TicketKeysPage(TicketQueries.SmallSet, true, await PageAsync(everything, page, ct));
        }

        keys.Sort((a, b) => b.CompareTo(a));
        var ids = keys.Skip(page.Offset).Take(page.Limit).Select(Format).ToList();
        if (!windowTried && keys.Count >= wanted)
        {
            // The Window-th and (Window + 1)-th newest entries of the leading filter: both exist if it is larger than
            // the window, and the first is the oldest entry the window holds.
            var edge = (await Newest(lead).Skip(Window - 1).Take(2).Select(t => new { t.Year, t.Number }).ToListAsync(ct))
                .Select(k => (k.Year, k.Number)).ToList();
            var inWindow = edge.Count == 2 ? keys.Count(k => k.CompareTo(edge[0]) >= 0) : 0;
            if (inWindow >= wanted)
            {
                return new TicketKeysPage(inWindow, true, ids);
            }
        }

        return new TicketKeysPage(keys.Count, false, ids);
    }

    /// <summary>
    /// Up to <see cref="TicketQueries.SmallSet"/> + 1 keys of the matching set, in no order, from the GIN intersection.
    /// Index scans are switched off for this one statement so that the planner, which expects a dense combination,
    /// cannot fall back to the walk in list order that the probe just ruled out.
    /// </summary>
    private static async Task<List<(int Year, long Number)>> IntersectAsync(MarketMakersDbContext db, IQueryable<Ticket> everything, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL work_mem = '16MB'", ct);
        var keys = (await everything.Select(t => new { t.Year, t.Number }).Take(TicketQueries.SmallSet + 1).ToListAsync(ct))
            .Select(k => (k.Year, k.Number)).ToList();
        await tx.CommitAsync(ct);
        return keys;
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

    private static string Format((int Year, long Number) key) => TicketNumber.Format(key.Year, key.Number);

    private static async Task<IReadOnlyList<string>> PageAsync(IQueryable<Ticket> q, PageRequest page, CancellationToken ct) =>
        (await KeysAsync(q, page.Offset, page.Limit, ct)).Select(Format).ToList();

    /// <summary>Keys newest first; index-only, as every filter column is in the walked index.</summary>
    private static async Task<List<(int Year, long Number)>> KeysAsync(IQueryable<Ticket> q, int skip, int take, CancellationToken ct) =>
        (await Newest(q).Skip(skip).Take(take).Select(t => new { t.Year, t.Number }).ToListAsync(ct))
            .Select(k => (k.Year, k.Number)).ToList();
}
