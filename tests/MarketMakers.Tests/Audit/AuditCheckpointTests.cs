using MarketMakers.Core.Audit.Checkpoints;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Audit;

/// <summary>
/// Signed checkpoints of the audit chain and the offline verifier (tools/MarketMakers.AuditVerify), each test in a
/// database of its own. The attacker is a database superuser: triggers off, any row rewritten, but no signing key.
/// </summary>
public sealed class AuditCheckpointTests
{
    [Fact]
    public async Task An_untouched_chain_verifies_against_every_signed_checkpoint()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await chain.ActAndSealAsync(4);
        await chain.ActAndSealAsync(3);

        var checkpoints = await chain.CheckpointsAsync();
        var (exit, output) = await chain.RunVerifierAsync(await chain.ExportAsync());

        // Newest first; the oldest one signed the set-up's tickets.
        Assert.Equal([chain.Ids[6], chain.Ids[3]], checkpoints.Take(2).Select(c => c.LastTicketId));
        using var key = CheckpointKey.Load(TestCheckpointKey.PublicPath);
        Assert.All(checkpoints, c => Assert.Equal(key.KeyId, c.KeyId));
        Assert.Equal(0, exit);
        Assert.Contains($"INTACT: {checkpoints.Count} checkpoint(s) verified", output);
        Assert.Equal(3, checkpoints.Count);
    }

    [Fact]
    public async Task A_superuser_who_rewrites_a_ticket_and_recomputes_every_digest_is_caught_by_the_signed_checkpoints()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await chain.ActAndSealAsync(4);
        await chain.ActAndSealAsync(3);
        await chain.ActAndSealAsync(2);
        var auditorsCopy = await chain.ExportAsync();

        await chain.RewriteAndResealAsync(chain.Ids[5], """{"amount": "1000000"}""");
        var inDatabase = await chain.VerifyInDatabaseAsync();
        var (exit, output) = await chain.RunVerifierAsync(auditorsCopy);
        var (exitOnFreshExport, _) = await chain.RunVerifierAsync(await chain.ExportAsync());

        Assert.True(inDatabase.Intact, "the forgery should be consistent inside the database");
        Assert.Equal(1, exit);
        // The first checkpoint past the rewritten ticket, and the span since the last checkpoint that still holds.
        Assert.Contains($"TAMPERED at checkpoint {chain.Ids[6]}", output);
        Assert.Contains($"after {chain.Ids[3]}", output);
        Assert.Equal(1, exitOnFreshExport);
    }

    [Fact]
    public async Task Checkpoint_rows_rewritten_to_match_a_forged_chain_fail_their_signature()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await chain.ActAndSealAsync(3);
        await chain.ActAndSealAsync(3);

        await chain.RewriteAndResealAsync(chain.Ids[1], """{"amount": "5"}""", rewriteCheckpoints: true);
        var (exit, output) = await chain.RunVerifierAsync(await chain.ExportAsync());

        Assert.True((await chain.VerifyInDatabaseAsync()).Intact);
        Assert.Equal(1, exit);
        Assert.Contains($"TAMPERED at checkpoint {chain.Ids[2]}", output);
        Assert.Contains("signature does not verify", output);
    }

    [Fact]
    public async Task A_checkpoint_signed_with_a_key_of_the_attackers_own_is_refused()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await chain.ActAndSealAsync(3);
        using var attackers = CheckpointKey.FromPem(CheckpointKey.GeneratePrivateKeyPem());

        await chain.InsertCheckpointSignedWithAsync(attackers);
        var (exit, output) = await chain.RunVerifierAsync(await chain.ExportAsync());

        Assert.Equal(1, exit);
        Assert.Contains($"names key {attackers.KeyId}", output);
    }

    [Fact]
    public async Task A_pass_that_seals_nothing_signs_nothing_and_checkpoints_cannot_be_edited_in_place()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await chain.ActAndSealAsync(2);
        var before = await chain.CheckpointsAsync();

        await using var other = chain.SecondInstance();
        await other.GetRequiredService<TicketSealer>().SealPendingAsync();
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            TestDatabase.ExecuteAsync(chain.Postgres, "UPDATE audit_checkpoints SET digest = repeat('0', 64)"));

        Assert.Equal(chain.Ids[^1], before[0].LastTicketId);
        Assert.Equal(before, await chain.CheckpointsAsync());
        Assert.Contains("append-only", refused.MessageText);
    }

    [Fact]
    public async Task Two_instances_sealing_at_once_sign_each_head_once_and_the_chain_verifies()
    {
        await using var chain = await CheckpointChain.CreateAsync();
        await using var first = chain.SecondInstance();
        await using var second = chain.SecondInstance();
        var sealers = new[] { first.GetRequiredService<TicketSealer>(), second.GetRequiredService<TicketSealer>() };

        for (var round = 0; round < 5; round++)
        {
            await chain.ActAsync(3);
            // Both instances' passes race for the sealer's lock, as their background services would.
            await Task.WhenAll(sealers.Select(s => Task.Run(() => s.SealPendingAsync())));
            await Task.WhenAll(sealers.Select(s => Task.Run(() => s.SealPendingAsync())));
        }

        var seqs = await TestDatabase.ScalarAsync<long[]>(chain.Postgres, "SELECT array_agg(seq ORDER BY id) FROM audit_checkpoints");
        var (exit, output) = await chain.RunVerifierAsync(await chain.ExportAsync());

        Assert.Equal(seqs.Distinct().Count(), seqs.Length);
        Assert.Equal(await TestDatabase.ScalarAsync<long>(chain.Postgres, "SELECT max(seq) FROM ticket_seals"), seqs.Max());
        Assert.Equal(0, exit);
        Assert.Contains("INTACT", output);
    }
}
