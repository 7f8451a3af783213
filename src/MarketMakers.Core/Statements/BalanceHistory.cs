using MarketMakers.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MarketMakers.Core.Statements;

/// <summary>
/// One append-only snapshot of a balance row (available and locked) as a write left it. Needed because locked is
/// not in the ledger: a fill takes the sold certificates (or the paid EUR) out of locked with no ledger row, so
/// no ledger column can say what was locked at a past instant. A trigger on <c>balances</c> writes these rows
/// (<see cref="BalanceHistorySql"/>), so every path that moves a balance (EF, the order batch, raw SQL) records
/// history without code of its own and without another round trip.
/// </summary>
public sealed class BalanceHistory
{
    private BalanceHistory()
    {
    }

    public long Id { get; private set; }

    public Guid HolderId { get; private set; }

    public Asset Asset { get; private set; } = null!;

    public decimal Available { get; private set; }

    public decimal Locked { get; private set; }

    /// <summary>The balance's updated_at: the time of the action that wrote it.</summary>
    public DateTimeOffset ChangedAt { get; private set; }
}

internal sealed class BalanceHistoryConfiguration : IEntityTypeConfiguration<BalanceHistory>
{
    public void Configure(EntityTypeBuilder<BalanceHistory> b)
    {
        b.ToTable("balance_history");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.Asset).HasMaxLength(8);
        b.Property(x => x.Available).HasPrecision(20, 2);
        b.Property(x => x.Locked).HasPrecision(20, 2);
        // The as-of seek: newest snapshot at or before T for one holder and asset.
        b.HasIndex(x => new { x.HolderId, x.Asset, x.ChangedAt, x.Id }).IsDescending(false, false, true, true);
        b.HasOne<Holder>().WithMany().HasForeignKey(x => x.HolderId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// Migration SQL for the history trigger (like <see cref="Persistence.AppendOnly"/>): the combined migration must
/// call <see cref="Create"/> after creating balance_history, and <see cref="Drop"/> in Down.
/// </summary>
public static class BalanceHistorySql
{
    public static void Create(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE OR REPLACE FUNCTION record_balance_history() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO balance_history (holder_id, asset, available, locked, changed_at)
                VALUES (NEW.holder_id, NEW.asset, NEW.available, NEW.locked, NEW.updated_at);
                RETURN NULL;
            END $$;
            CREATE TRIGGER balances_history_insert AFTER INSERT ON balances
                FOR EACH ROW EXECUTE FUNCTION record_balance_history();
            CREATE TRIGGER balances_history_update AFTER UPDATE ON balances
                FOR EACH ROW WHEN (OLD.available IS DISTINCT FROM NEW.available OR OLD.locked IS DISTINCT FROM NEW.locked)
                EXECUTE FUNCTION record_balance_history();
            -- Balances that predate the history start it at their current state.
            INSERT INTO balance_history (holder_id, asset, available, locked, changed_at)
            SELECT holder_id, asset, available, locked, updated_at FROM balances ORDER BY holder_id, asset;
            """);
        Persistence.AppendOnly.Protect(migrationBuilder, "balance_history");
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        Persistence.AppendOnly.Unprotect(migrationBuilder, "balance_history");
        migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS balances_history_insert ON balances;
            DROP TRIGGER IF EXISTS balances_history_update ON balances;
            DROP FUNCTION IF EXISTS record_balance_history();
            """);
    }
}
