using System.Text.Json;
using MarketMakers.AuditVerify;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Checkpoints;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Audit;

/// <summary>
/// A database of its own with tickets, seals and signed checkpoints, and the moves of a database superuser who wants
/// the log to tell another story: rewrite a ticket, then recompute every later seal so the in-database check passes.
/// </summary>
internal sealed class CheckpointChain(string postgres, ServiceProvider services) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _dir = Directory.CreateTempSubdirectory("mm-checkpoints-").FullName;

    public List<string> Ids { get; } = [];

    public string Postgres => postgres;

    public static async Task<CheckpointChain> CreateAsync()
    {
        var postgres = await TestDatabase.CreateAsync("checkpoints");
        var chain = new CheckpointChain(postgres, TestDatabase.BuildServices(postgres));
        // Sets up with the seeding's own tickets sealed (and their head signed), so the tests count only theirs.
        await chain.SealAsync();
        return chain;
    }

    /// <summary>Another instance of the app on the same database: its own sealer and checkpointer.</summary>
    public ServiceProvider SecondInstance() => TestDatabase.BuildServices(postgres);

    public async Task ActAsync(int tickets)
    {
        for (var i = 0; i < tickets; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
            var draft = new TicketDraft(ActionTypes.UserRoleChanged, EntityTypes.User) { Request = new { step = Ids.Count } };
            Ids.Add((await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId);
        }
    }

    public Task<int> SealAsync() => services.GetRequiredService<TicketSealer>().SealPendingAsync();

    public async Task ActAndSealAsync(int tickets)
    {
        await ActAsync(tickets);
        Assert.Equal(tickets, await SealAsync());
    }

    public Task<ChainVerification> VerifyInDatabaseAsync() => services.GetRequiredService<AuditChainVerifier>().VerifyAsync();

    public Task<IReadOnlyList<CheckpointView>> CheckpointsAsync() =>
        services.GetRequiredService<CheckpointQueries>().ListAsync(PageRequest.Of(1000, 0));

    /// <summary>Saves the checkpoints as the API exports them, for the verifier.</summary>
    public async Task<string> ExportAsync(IReadOnlyList<CheckpointView>? checkpoints = null)
    {
        var path = Path.Combine(_dir, $"checkpoints-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(checkpoints ?? await CheckpointsAsync(), Json));
        return path;
    }

    /// <summary>Runs the offline verifier's command line; returns its exit code and everything it printed.</summary>
    public async Task<(int Exit, string Output)> RunVerifierAsync(string checkpointsFile, string? publicKey = null)
    {
        using var output = new StringWriter();
        var exit = await Cli.RunAsync(
            ["--checkpoints", checkpointsFile, "--connection", postgres, "--public-key", publicKey ?? TestCheckpointKey.PublicPath], output, output);
        return (exit, output.ToString());
    }

    /// <summary>
    /// As a superuser with the append-only triggers off: rewrites one ticket's payload, then recomputes every seal's
    /// digest and chain hash in chain order (with the sealer's own SQL digest), so the database is consistent again.
    /// </summary>
    public async Task RewriteAndResealAsync(string ticketId, string payloadJson, bool rewriteCheckpoints = false)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await ExecAsync(conn, "SET session_replication_role = replica");
        await using (var update = new NpgsqlCommand("UPDATE ticket_logs SET request_payload = @p::jsonb WHERE ticket_id = @id", conn))
        {
            update.Parameters.AddWithValue("p", payloadJson);
            update.Parameters.AddWithValue("id", ticketId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var seals = new List<(long Seq, string Digest)>();
        await using (var read = new NpgsqlCommand(
            "SELECT s.seq, d.digest FROM ticket_seals s CROSS JOIN LATERAL (SELECT " + TicketCanonicalForm.DigestSql
            + " AS digest FROM ticket_logs WHERE ticket_id = s.ticket_id) d ORDER BY s.seq", conn))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seals.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var chain = TicketCanonicalForm.GenesisHash;
        foreach (var (seq, digest) in seals)
        {
            chain = TicketCanonicalForm.Chain(chain, digest);
            await using var reseal = new NpgsqlCommand("UPDATE ticket_seals SET ticket_digest = @d, chain_hash = @c WHERE seq = @s", conn);
            reseal.Parameters.AddWithValue("d", digest);
            reseal.Parameters.AddWithValue("c", chain);
            reseal.Parameters.AddWithValue("s", seq);
            await reseal.ExecuteNonQueryAsync();
        }

        if (rewriteCheckpoints)
        {
            // The stored checkpoints are rows too: make them agree with the forged chain as well.
            await ExecAsync(conn, "UPDATE audit_checkpoints c SET digest = s.chain_hash FROM ticket_seals s WHERE s.seq = c.seq");
        }

        await ExecAsync(conn, "SET session_replication_role = origin");
    }

    /// <summary>As a superuser: adds a checkpoint of the current head, signed with a key of the attacker's own.</summary>
    public async Task InsertCheckpointSignedWithAsync(CheckpointKey key)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        string ticket, digest;
        long seq;
        await using (var head = new NpgsqlCommand("SELECT seq, ticket_id, chain_hash FROM ticket_seals ORDER BY seq DESC LIMIT 1", conn))
        await using (var reader = await head.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            (seq, ticket, digest) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }

        var at = CheckpointStatement.ToMicroseconds(DateTimeOffset.UtcNow);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO audit_checkpoints (seq, last_ticket_id, digest, signed_at, signature, key_id) VALUES (@s, @t, @d, @a, @sig, @k)", conn);
        insert.Parameters.AddWithValue("s", seq);
        insert.Parameters.AddWithValue("t", ticket);
        insert.Parameters.AddWithValue("d", digest);
        insert.Parameters.AddWithValue("a", at);
        insert.Parameters.AddWithValue("sig", key.Sign(CheckpointStatement.Bytes(ticket, digest, at)));
        insert.Parameters.AddWithValue("k", key.KeyId);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await TestDatabase.DropAsync(postgres);
        Directory.Delete(_dir, true);
    }
}
