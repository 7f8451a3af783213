using System.Text.Json;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Ledger;

/// <summary>Properties the database itself must guarantee: append-only history, O(1) balance reads, reconciliation.</summary>
public sealed class LedgerDatabaseTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("UPDATE asset_transactions SET amount = amount + 1 WHERE holder_id = '{0}'")]
    [InlineData("DELETE FROM asset_transactions WHERE holder_id = '{0}'")]
    public async Task Ledger_rows_cannot_be_updated_or_deleted(string sqlTemplate)
    {
        using var client = await app.CreateAdminClientAsync();
        var id = await MmApi.CreateAsync(client, new { EUA = "50" }, "append");
        var before = await MmApi.StateAsync(app.Postgres, id);

        var error = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ExecuteAsync(app.Postgres, string.Format(sqlTemplate, id)));

        Assert.Contains("append-only", error.MessageText);
        Assert.Equal(before, await MmApi.StateAsync(app.Postgres, id));
    }

    [Fact]
    public async Task Reading_a_balance_reads_at_most_three_rows_with_100k_rows_of_history()
    {
        await using var own = await OwnDatabase.CreateAsync("perf");
        var (postgres, services) = (own.Postgres, own.Services);
        var id = await CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 1 });

        // 100k more ledger rows for the same holder, plus other holders so the planner has a real table to choose on.
        await TestDatabase.ExecuteAsync(postgres, $"""
            INSERT INTO asset_transactions (ticket_id, holder_id, asset, transaction_type, amount, balance_after, notes, created_at)
            SELECT 'TKT-2026-BULK' || g, '{id}', 'CEA', 'DEPOSIT', 1, 1 + g, 'bulk', now() FROM generate_series(1, 100000) g;
            UPDATE balances SET available = 100001 WHERE holder_id = '{id}' AND asset = 'CEA';
            INSERT INTO holders (id, kind, name, created_at) SELECT gen_random_uuid(), 'CLIENT_ENTITY', 'filler ' || g, now() FROM generate_series(1, 3000) g;
            INSERT INTO balances (holder_id, asset, available, locked, updated_at)
            SELECT h.id, a.asset, 0, 0, now() FROM holders h CROSS JOIN (VALUES ('CEA'), ('EUA'), ('EUR')) a(asset) WHERE h.kind = 'CLIENT_ENTITY';
            ANALYZE;
            """);
        Assert.Equal(100_001L, await TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM asset_transactions WHERE holder_id = @p0", id));

        var plan = await ExplainAsync(postgres, LedgerService.BalanceReadSql, id);
        var nodes = Flatten(plan.GetProperty("Plan")).ToList();

        Assert.DoesNotContain(nodes, n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "asset_transactions");
        Assert.DoesNotContain(nodes, n => n.GetProperty("Node Type").GetString() == "Seq Scan");
        var scans = nodes.Where(n => n.TryGetProperty("Relation Name", out _)).ToList();
        Assert.Contains(nodes, n => n.TryGetProperty("Index Name", out var index) && index.GetString() == "pk_balances");
        var rowsRead = scans.Sum(n => (n.GetProperty("Actual Rows").GetDouble() * n.GetProperty("Actual Loops").GetDouble())
            + (n.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0)
            + (n.TryGetProperty("Rows Removed by Index Recheck", out var recheck) ? recheck.GetDouble() : 0));
        Assert.InRange(rowsRead, 1, 3);

        await using var scope = services.CreateAsyncScope();
        var balances = await scope.ServiceProvider.GetRequiredService<LedgerService>().GetBalancesAsync(id);
        Assert.Equal(100_001m, balances["CEA"].Available);
        var report = await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
        Assert.Empty(report.Mismatches);
    }

    [Fact]
    public async Task Reconciliation_names_exactly_the_corrupted_holder_and_asset()
    {
        await using var own = await OwnDatabase.CreateAsync("recon");
        var (postgres, services) = (own.Postgres, own.Services);
        var victim = await CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 500, ["EUR"] = 99.99m });
        var bystander = await CreateMarketMakerAsync(services, new Dictionary<string, decimal> { ["CEA"] = 300, ["EUA"] = 7 });
        await using var scope = services.CreateAsyncScope();
        var reconciliation = scope.ServiceProvider.GetRequiredService<ReconciliationService>();

        var clean = await reconciliation.RunAsync();
        await TestDatabase.ExecuteAsync(postgres, $"UPDATE balances SET available = available + 7 WHERE holder_id = '{victim}' AND asset = 'CEA'");
        var corrupted = await reconciliation.RunAsync();

        Assert.Empty(clean.Mismatches);
        Assert.Equal(4, clean.Checked);
        var perHolder = Assert.Single(corrupted.Mismatches, m => m.HolderId is not null);
        Assert.Equal(new ReconciliationMismatch(victim, "CEA", "available", 500m, 507m), perHolder);
        Assert.DoesNotContain(corrupted.Mismatches, m => m.HolderId == bystander);
        // Certificates are no longer conserved either: 800 deposited, 807 held.
        Assert.Contains(new ReconciliationMismatch(null, "CEA", "conservation", 800m, 807m), corrupted.Mismatches);
    }

    private static async Task<Guid> CreateMarketMakerAsync(ServiceProvider services, Dictionary<string, decimal> initial)
    {
        await using var scope = services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
        Audited<MarketMakerView> created = await service.CreateAsync(
            new CreateMarketMakerRequest($"MM {Guid.NewGuid():N}"[..20], MmApi.UniqueEmail("svc"), null, initial));
        return created.Value.Id;
    }

    private static async Task<JsonElement> ExplainAsync(string postgres, string sql, Guid holder)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, conn);
        cmd.Parameters.AddWithValue("holder", holder);
        var json = (string)(await cmd.ExecuteScalarAsync())!;
        return JsonDocument.Parse(json).RootElement[0].Clone();
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var n in Flatten(child))
                {
                    yield return n;
                }
            }
        }
    }
}
