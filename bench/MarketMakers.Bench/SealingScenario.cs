using System.Diagnostics;
using MarketMakers.Core.Audit.Sealing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Bench;

/// <summary>
/// What sealing costs per ticket, alone: a backlog of generated tickets is queued at once, then sealed pass after pass
/// (TicketSealer.SealPendingAsync, 5,000 a pass, as the background service runs it) until the queue is empty. Prints
/// tickets/s and the CPU per ticket of the whole machine (PostgreSQL included) and of this process (the .NET side).
/// Issue 6's auditing on/off ratio pays this for every ticket (ADR 0009, third pass).
/// </summary>
internal static class SealingScenario
{
    private const int Tickets = 50_000;
    private const int WarmUp = 20_000;

    /// <summary>Queues the unsealed tickets that match <paramref name="where"/>, as the insert trigger would have.</summary>
    private static async Task QueueAsync(BenchDatabase db, string where)
    {
        await db.ExecuteAsync($"""
            INSERT INTO ticket_seal_queue (ticket_id)
            SELECT t.ticket_id FROM ticket_logs t
            WHERE ({where}) AND NOT EXISTS (SELECT 1 FROM ticket_seals s WHERE s.ticket_id = t.ticket_id)
            ON CONFLICT DO NOTHING
            """);
        await db.ExecuteAsync("VACUUM (ANALYZE) ticket_seal_queue");
    }

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        await using var db = await BenchDatabase.CreateAsync("sealing");
        await using var services = db.BuildServices();
        var sealer = services.GetRequiredService<TicketSealer>();
        await TicketGenerator.InsertAsync(db, Tickets + WarmUp);
        // Untimed: the seed's tickets and the first WarmUp generated ones, sealed in passes until the JIT has tiered up.
        await QueueAsync(db, $"number <= {10_000_000 + WarmUp}");
        while (await sealer.SealPendingAsync() > 0)
        {
        }

        await QueueAsync(db, "true");
        var queued = await db.ScalarAsync<long>("SELECT count(*) FROM ticket_seal_queue");
        var size = await db.ScalarAsync<decimal>($"SELECT avg(octet_length(concat_ws(' ', {TicketCanonicalForm.Columns})))::numeric(10,0) FROM ticket_logs t JOIN ticket_seal_queue q USING (ticket_id)");
        Machine.PrintHeader($"workload: {queued:N0} queued tickets (generated; canonical text {size:N0} bytes on average), sealed in passes of 5,000 until none is left, after {WarmUp:N0} sealed untimed");

        var cpu = CpuMeter.Start();
        var start = Stopwatch.GetTimestamp();
        long sealedCount = 0;
        int passes = 0;
        for (int n; (n = await sealer.SealPendingAsync()) > 0; passes++)
        {
            sealedCount += n;
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var (machine, process) = cpu.Stop();
        var verified = await services.GetRequiredService<AuditChainVerifier>().VerifyAsync();

        Console.WriteLine();
        Console.WriteLine("| metric | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| tickets sealed / passes / seconds | {sealedCount:N0} / {passes} / {seconds:F2} s |");
        Console.WriteLine($"| tickets sealed per second | {sealedCount / seconds:N0} |");
        Console.WriteLine($"| CPU per ticket: machine / this process | {machine * 1e6 / sealedCount:F1} / {process * 1e6 / sealedCount:F1} µs |");
        Console.WriteLine($"| chain verifies (intact, tickets) | {verified.Intact}, {verified.VerifiedTickets:N0} |");
        Console.WriteLine($"| load average (1/5/15 min) at end | {Machine.LoadAverage()} |");
        return verified.Intact && sealedCount >= Tickets ? 0 : 1;
    }
}
