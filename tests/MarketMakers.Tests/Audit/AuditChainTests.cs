using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Audit;

/// <summary>
/// Tamper evidence. Each test seals a chain in a database of its own, then tampers as superuser with the
/// append-only triggers switched off (session_replication_role = replica), as an attacker with DBA rights would.
/// </summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task An_untouched_chain_verifies_intact_with_every_ticket_counted()
    {
        await using var chain = await SealedChainAsync(6);

        var result = await chain.VerifyAsync();

        Assert.True(result.Intact);
        Assert.Null(result.FirstBrokenTicketId);
        Assert.Equal(await chain.TicketCountAsync(), result.VerifiedTickets);
        Assert.Equal(0, result.UnsealedTickets);
    }

    [Fact]
    public async Task An_edited_payload_is_named()
    {
        await using var chain = await SealedChainAsync(6);
        var victim = chain.Ids[3];

        await chain.TamperAsync($"UPDATE ticket_logs SET request_payload = '{{\"amount\": \"1000000\"}}' WHERE ticket_id = '{victim}'");
        var result = await chain.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(victim, result.FirstBrokenTicketId);
        Assert.Contains("no longer matches", result.Reason);
    }

    [Fact]
    public async Task A_deleted_ticket_is_named()
    {
        await using var chain = await SealedChainAsync(6);
        var victim = chain.Ids[2];

        await chain.TamperAsync($"DELETE FROM ticket_logs WHERE ticket_id = '{victim}'");
        var result = await chain.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(victim, result.FirstBrokenTicketId);
        Assert.Contains("deleted", result.Reason);
    }

    [Fact]
    public async Task Swapped_timestamps_name_the_first_swapped_ticket()
    {
        await using var chain = await SealedChainAsync(6);
        var (a, b) = (chain.Ids[1], chain.Ids[4]);

        await chain.TamperAsync($"""
            UPDATE ticket_logs t SET timestamp = o.timestamp
            FROM (SELECT ticket_id, timestamp FROM ticket_logs WHERE ticket_id IN ('{a}', '{b}')) o
            WHERE t.ticket_id IN ('{a}', '{b}') AND o.ticket_id <> t.ticket_id
            """);
        var result = await chain.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(a, result.FirstBrokenTicketId);
    }

    [Fact]
    public async Task Tickets_committed_after_a_pass_are_sealed_by_the_next_one()
    {
        await using var chain = await SealedChainAsync(3);
        await chain.ActAsync(4);

        Assert.Equal(4, (await chain.VerifyAsync()).UnsealedTickets);
        Assert.Equal(4, await chain.SealAsync());
        var result = await chain.VerifyAsync();

        Assert.True(result.Intact);
        Assert.Equal(0, result.UnsealedTickets);
    }

    [Fact]
    public async Task The_sealers_digest_in_SQL_matches_the_verifiers_in_dotnet_for_awkward_content()
    {
        await using var chain = await SealedChainAsync(1);
        // Every column the canonical form covers, with what could make two implementations disagree: NULLs, empty
        // arrays, newlines, quotes, non-ASCII text, microseconds, JSON with nesting and escapes.
        await TestDatabase.ExecuteAsync(chain.Postgres, """
            INSERT INTO ticket_logs (ticket_id, year, number, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id,
                                     status, request_payload, response_data, ip_address, user_agent, session_id, before_state,
                                     after_state, related_ticket_ids, tags)
            VALUES ('TKT-2026-900000001', 2026, 900000001, '2026-02-03 04:05:06.789012+00', '01a20bc5-1102-7bf2-8a2e-f148b571614c', NULL,
                    'ASSET_DEPOSIT', 'Holder', E'line\nbreak', 'SUCCESS',
                    '{"note": "Grüße \"quoted\" \\ back\nslash", "n": [1, 2.50, {"z": null, "a": true}]}', NULL,
                    '2001:db8::1', E'Mozilla/5.0\n(evil)', 'séssion-✓', NULL, '{}',
                    '{TKT-2026-000001,TKT-2026-000002}', '{}'),
                   ('TKT-2026-900000002', 2026, 900000002, '2026-02-03 04:05:06+00', NULL, '01a20bc5-0d55-714b-88f0-735db15a72ee',
                    'MM_CREATED', 'MarketMaker', NULL, 'FAILED', NULL, '{"error": "x"}', NULL, NULL, NULL,
                    '{"balances": {}}', NULL, '{}', '{market_maker,"two words",ümlaut}')
            """);

        Assert.Equal(2, await chain.SealAsync());
        var result = await chain.VerifyAsync();

        Assert.True(result.Intact, $"{result.FirstBrokenTicketId}: {result.Reason}");
        Assert.Equal(await chain.TicketCountAsync(), result.VerifiedTickets);
    }

    [Fact]
    public async Task A_ticket_deleted_before_its_seal_leaves_the_queue_and_the_others_are_sealed_in_ticket_order()
    {
        await using var chain = await SealedChainAsync(2);
        await chain.ActAsync(5);
        var victim = chain.Ids[4];

        await chain.TamperAsync($"DELETE FROM ticket_logs WHERE ticket_id = '{victim}'");

        Assert.Equal(4, await chain.SealAsync());
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(chain.Postgres, "SELECT count(*) FROM ticket_seal_queue"));
        Assert.Equal(
            string.Join(",", chain.Ids.Where(id => id != victim)),
            await TestDatabase.ScalarAsync<string>(chain.Postgres,
                "SELECT string_agg(ticket_id, ',' ORDER BY seq) FROM ticket_seals WHERE ticket_id = ANY(@p0)", (object)chain.Ids.ToArray()));
        Assert.Equal(0, await chain.SealAsync());
    }

    private static async Task<Chain> SealedChainAsync(int tickets)
    {
        var postgres = await TestDatabase.CreateAsync("chain");
        var chain = new Chain(postgres, TestDatabase.BuildServices(postgres));
        await chain.ActAsync(tickets);
        await chain.SealAsync();
        return chain;
    }

    private sealed class Chain(string postgres, ServiceProvider services) : IAsyncDisposable
    {
        public List<string> Ids { get; } = [];

        public string Postgres => postgres;

        public async Task ActAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await using var scope = services.CreateAsyncScope();
                var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
                var draft = new TicketDraft(ActionTypes.UserRoleChanged, EntityTypes.User) { Request = new { step = i } };
                Ids.Add((await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId);
            }
        }

        public Task<int> SealAsync() => services.GetRequiredService<TicketSealer>().SealPendingAsync();

        public Task<ChainVerification> VerifyAsync() => services.GetRequiredService<AuditChainVerifier>().VerifyAsync();

        public Task<long> TicketCountAsync() => TestDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM ticket_logs");

        public Task TamperAsync(string sql) =>
            TestDatabase.ExecuteAsync(postgres, $"SET session_replication_role = replica; {sql}; SET session_replication_role = origin;");

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await TestDatabase.DropAsync(postgres);
        }
    }
}
