using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Orders;

/// <summary>
/// The transaction-scoped advisory lock that serializes everything touching one instrument's book (placements,
/// cancels) across every app instance (docs/decisions/0005-order-placement.md). It is released by COMMIT or ROLLBACK.
/// </summary>
public static class InstrumentLock
{
    /// <summary>The statement, for paths that send it in a batch of their own (the order batch's first round trip).</summary>
    public const string Sql = "SELECT pg_advisory_xact_lock($1)";

    public static Task AcquireAsync(MarketMakersDbContext db, CertificateType certificate, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({certificate.LockKey})", cancellationToken);
}
