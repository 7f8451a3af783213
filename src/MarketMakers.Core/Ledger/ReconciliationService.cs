using System.Data;
using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MarketMakers.Core.Ledger;

/// <summary>One disagreement between the stored balances and what the ledger (or the open orders) say.</summary>
public sealed record ReconciliationMismatch(Guid? HolderId, string Asset, string Field, decimal Expected, decimal Actual);

/// <summary>The result of a reconciliation run (<c>GET /reconciliation</c>).</summary>
public sealed record ReconciliationReport(int Checked, IReadOnlyList<ReconciliationMismatch> Mismatches)
{
    public bool Clean => Mismatches.Count == 0;
}

/// <summary>
/// What open orders should hold locked, per holder and asset. The orders issue replaces
/// <see cref="NoOpenOrderLocks"/> with a query over its orders table; it runs inside the reconciliation's snapshot.
/// </summary>
public interface IExpectedLockedSource
{
    Task<IReadOnlyDictionary<(Guid HolderId, Asset Asset), decimal>> ExpectedLockedAsync(
        MarketMakersDbContext db, CancellationToken cancellationToken);
}

/// <summary>Before the order book exists nothing can be locked, so every stored locked figure must be 0.</summary>
public sealed class NoOpenOrderLocks : IExpectedLockedSource
{
    public Task<IReadOnlyDictionary<(Guid HolderId, Asset Asset), decimal>> ExpectedLockedAsync(
        MarketMakersDbContext db, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(Guid, Asset), decimal>>(new Dictionary<(Guid, Asset), decimal>());
}

/// <summary>
/// Checks the ledger invariants against one consistent snapshot (REPEATABLE READ, read only):
/// available = Σ amount = newest balance_after, locked = what open orders hold, and certificates are conserved
/// across holders (deposits − withdrawals = total held).
/// </summary>
public sealed class ReconciliationService(IDbContextFactory<MarketMakersDbContext> dbFactory, IExpectedLockedSource expectedLocked)
{
    private const string LedgerVsBalancesSql = """
        WITH ledger AS (
            SELECT holder_id, asset, sum(amount) AS sum_amount,
                   (array_agg(balance_after ORDER BY id DESC))[1] AS last_balance_after
            FROM asset_transactions
            GROUP BY holder_id, asset
        )
        SELECT COALESCE(b.holder_id, l.holder_id), COALESCE(b.asset, l.asset),
               b.available, b.locked, l.sum_amount, l.last_balance_after
        FROM balances b
        FULL JOIN ledger l ON l.holder_id = b.holder_id AND l.asset = b.asset
        """;

    private const string ConservationSql = """
        SELECT a.asset,
               COALESCE((SELECT sum(amount) FROM asset_transactions t
                         WHERE t.asset = a.asset AND t.transaction_type IN ('DEPOSIT', 'WITHDRAWAL')), 0),
               COALESCE((SELECT sum(available + locked) FROM balances b WHERE b.asset = a.asset), 0)
        FROM unnest(@assets) AS a(asset)
        """;

    // The assets the conservation check sums, as the text the SQL compares.
    private static readonly string[] Certificates = Asset.All.Where(a => a.IsCertificate).Select(a => a.Value).ToArray();

    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", cancellationToken);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTx = (NpgsqlTransaction)tx.GetDbTransaction();

        var mismatches = new List<ReconciliationMismatch>();
        var locks = await expectedLocked.ExpectedLockedAsync(db, cancellationToken);
        var seen = new HashSet<(Guid, Asset)>();
        await using (var cmd = new NpgsqlCommand(LedgerVsBalancesSql, conn, npgsqlTx))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                var holder = r.GetGuid(0);
                var asset = Asset.FromStored(r.GetString(1));
                decimal? Read(int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
                var storedAvailable = Read(2) ?? 0m;
                var storedLocked = Read(3) ?? 0m;
                var ledgerSum = Read(4) ?? 0m;
                var lastAfter = Read(5) ?? 0m;
                seen.Add((holder, asset));

                if (storedAvailable != ledgerSum)
                {
                    mismatches.Add(new(holder, asset.Value, "available", ledgerSum, storedAvailable));
                }

                if (lastAfter != ledgerSum)
                {
                    mismatches.Add(new(holder, asset.Value, "balance_after", ledgerSum, lastAfter));
                }

                var expected = locks.GetValueOrDefault((holder, asset));
                if (storedLocked != expected)
                {
                    mismatches.Add(new(holder, asset.Value, "locked", expected, storedLocked));
                }
            }
        }

        // Locks held by open orders on a holder/asset that has no balance row at all.
        foreach (var ((holder, asset), expected) in locks)
        {
            if (!seen.Contains((holder, asset)) && expected != 0)
            {
                mismatches.Add(new(holder, asset.Value, "locked", expected, 0m));
                seen.Add((holder, asset));
            }
        }

        await using (var cmd = new NpgsqlCommand(ConservationSql, conn, npgsqlTx))
        {
            cmd.Parameters.AddWithValue("assets", Certificates);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var net = r.GetDecimal(1);
                var held = r.GetDecimal(2);
                if (net != held)
                {
                    mismatches.Add(new(null, r.GetString(0), "conservation", net, held));
                }
            }
        }

        await tx.CommitAsync(cancellationToken);
        return new ReconciliationReport(seen.Count, mismatches
            .OrderBy(m => m.HolderId).ThenBy(m => m.Asset, StringComparer.Ordinal).ThenBy(m => m.Field, StringComparer.Ordinal)
            .ToList());
    }
}
