using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Audit;

public sealed class BusinessActionRunnerTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Fact]
    public async Task An_action_that_throws_after_writing_leaves_no_change_no_success_ticket_and_one_failed_ticket()
    {
        var email = $"ghost-{Guid.NewGuid():N}@test.local";
        await using var scope = core.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = new { email } };

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, async s =>
        {
            await accounts.AddAsync(s, new NewUser(email, null, "Ghost", "User", Roles.Funded), default);
            throw new InvalidOperationException("boom after the write");
        }));

        Assert.Equal(DomainErrorKind.Internal, ex.Kind);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(core.Postgres, "SELECT count(*) FROM users WHERE email = @p0", email));
        var ticket = await TicketAssert.LoadAsync(core.Postgres, ex.TicketId!);
        Assert.Equal(("USER_CREATED", "FAILED"), (ticket.ActionType, ticket.Status));
        Assert.Contains("boom after the write", ticket.ResponseData);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(core.Postgres,
            "SELECT count(*) FROM ticket_logs WHERE request_payload->>'email' = @p0", email));
    }

    [Fact]
    public async Task A_rejected_action_keeps_its_kind_and_message_and_records_the_before_state()
    {
        await using var scope = core.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var draft = new TicketDraft(ActionTypes.AssetWithdrawal, EntityTypes.AssetTransaction);

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, s =>
        {
            s.Draft.Before = new { available = 10m };
            throw DomainException.Rule("Insufficient available balance.");
        }));

        Assert.Equal(DomainErrorKind.BusinessRule, ex.Kind);
        var ticket = await TicketAssert.LoadAsync(core.Postgres, ex.TicketId!);
        Assert.Equal("FAILED", ticket.Status);
        Assert.Contains("Insufficient available balance.", ticket.ResponseData);
        Assert.Contains("\"10\"", ticket.BeforeState);
    }

    [Fact]
    public async Task A_successful_action_commits_its_change_and_success_ticket_together()
    {
        var email = $"real-{Guid.NewGuid():N}@test.local";
        await using var scope = core.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();

        var result = await runner.RunAsync(new TicketDraft(ActionTypes.UserCreated, EntityTypes.User), s =>
            accounts.AddAsync(s, new NewUser(email, null, "Real", "User", Roles.Pending), default));

        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(core.Postgres, "SELECT count(*) FROM users WHERE email = @p0", email));
        Assert.Equal("SUCCESS", (await TicketAssert.LoadAsync(core.Postgres, result.TicketId)).Status);
    }

    [Theory]
    [InlineData("UPDATE ticket_logs SET status = 'SUCCESS' WHERE ticket_id = (SELECT min(ticket_id) FROM ticket_logs)")]
    [InlineData("DELETE FROM ticket_logs WHERE ticket_id = (SELECT min(ticket_id) FROM ticket_logs)")]
    [InlineData("TRUNCATE ticket_logs")]
    public async Task The_database_refuses_to_rewrite_tickets(string sql)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ExecuteAsync(core.Postgres, sql));

        Assert.Contains("append-only", ex.MessageText);
    }

    [Fact]
    public async Task Secrets_never_reach_a_ticket_payload()
    {
        await using var scope = core.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User)
        {
            Request = new { email = "x@test.local", password = "Hunter2-secret", nested = new { access_token = "tok-123" } },
        };

        var result = await runner.RunAsync(draft, _ => Task.CompletedTask);

        var ticket = await TicketAssert.LoadAsync(core.Postgres, result.TicketId);
        Assert.DoesNotContain("Hunter2-secret", ticket.RequestPayload);
        Assert.DoesNotContain("tok-123", ticket.RequestPayload);
        Assert.Contains("x@test.local", ticket.RequestPayload);
    }
}
