using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Approvals;

/// <summary>The reads of the approval queue: the API's list, the page's rows with names, and the pending count.</summary>
public sealed class ApprovalQueries(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    /// <summary>Newest first, optionally of one status (PENDING, APPROVED, REJECTED, EXPIRED, FAILED).</summary>
    public async Task<Page<MovementRequestView>> ListAsync(string? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync(status is null ? null : [ParseStatus(status)], page, cancellationToken);
        return new Page<MovementRequestView>(rows.Total, rows.Items.Select(r => r.Request).ToList());
    }

    /// <summary>The page's rows: <paramref name="statuses"/> null means all.</summary>
    public async Task<Page<MovementRequestRow>> RowsAsync(IReadOnlyList<string>? statuses, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.MovementRequests.AsNoTracking();
        if (statuses is not null)
        {
            query = query.Where(r => statuses.Contains(r.Status));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await (
            from r in query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Skip(page.Offset).Take(page.Limit)
            join h in db.Holders on r.HolderId equals h.Id
            join u in db.Users on r.RequestedBy equals u.Id
            select new { r, h.Name, h.Kind, Requester = u.Email, Decider = db.Users.Where(d => d.Id == r.DecidedBy).Select(d => d.Email).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return new Page<MovementRequestRow>(total, items
            .OrderByDescending(x => x.r.RequestedAt).ThenByDescending(x => x.r.Id)
            .Select(x => new MovementRequestRow(MovementRequestView.From(x.r), x.Name, x.Kind, x.Requester ?? "", x.Decider, x.r.ExpiresAt))
            .ToList());
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MovementRequests.CountAsync(r => r.Status == MovementRequestStatus.Pending, cancellationToken);
    }

    public static string ParseStatus(string status) =>
        MovementRequestStatus.All.FirstOrDefault(s => string.Equals(s, status.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw DomainException.Validation($"Unknown request status '{status}'. Use one of {string.Join(", ", MovementRequestStatus.All)}.");
}
