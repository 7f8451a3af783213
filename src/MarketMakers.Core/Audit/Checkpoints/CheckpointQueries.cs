using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Audit.Checkpoints;

/// <summary>A checkpoint as exported: the signature in base64 (DER-encoded ECDSA P-256 over SHA-256 of <see cref="CheckpointStatement"/>).</summary>
public sealed record CheckpointView(string LastTicketId, string Digest, DateTimeOffset SignedAt, string Signature, string KeyId);

public sealed class CheckpointQueries(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    /// <summary>Newest first. Any subset verifies on its own: each checkpoint covers the whole chain up to its ticket.</summary>
    public async Task<IReadOnlyList<CheckpointView>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<AuditCheckpoint>().AsNoTracking()
            .OrderByDescending(c => c.Id).Skip(page.Offset).Take(page.Limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(c => new CheckpointView(c.LastTicketId, c.Digest, c.SignedAt, Convert.ToBase64String(c.Signature), c.KeyId))];
    }
}
