using System.Data.Common;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Persistence;
using MarketMakers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketMakers.Tests.Audit;

/// <summary>
/// PostgreSQL at max_connections refuses new connections ("sorry, too many clients already", 53300) for a moment,
/// as it did while several test suites shared one server. The action's connection and its FAILED ticket's connection
/// are opened fresh, so a brief refusal used to fail the action and then the FAILED ticket too: HTTP 500, no ticket.
/// </summary>
public sealed class ConnectionRefusalTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Fact]
    public async Task An_action_whose_connection_is_refused_for_a_moment_commits_with_its_success_ticket()
    {
        var refusals = new RefusedOpens();
        await using var services = TestDatabase.BuildServices(core.Postgres, configure: s =>
            s.ConfigureDbContext<MarketMakersDbContext>(o => o.AddInterceptors(refusals)));
        var email = $"refused-{Guid.NewGuid():N}@test.local";
        await using var scope = services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();

        refusals.RefuseNext(2);
        var result = await runner.RunAsync(new TicketDraft(ActionTypes.UserCreated, EntityTypes.User), s =>
            accounts.AddAsync(s, new NewUser(email, null, "Refused", "Once", Roles.Pending), default));

        Assert.Equal(0, refusals.Remaining);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(core.Postgres, "SELECT count(*) FROM users WHERE email = @p0", email));
        Assert.Equal("SUCCESS", (await TicketAssert.LoadAsync(core.Postgres, result.TicketId)).Status);
    }

    [Fact]
    public async Task A_failed_action_whose_ticket_connection_is_refused_for_a_moment_still_gets_its_failed_ticket()
    {
        var refusals = new RefusedOpens();
        await using var services = TestDatabase.BuildServices(core.Postgres, configure: s =>
            s.ConfigureDbContext<MarketMakersDbContext>(o => o.AddInterceptors(refusals)));
        await using var scope = services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        var draft = new TicketDraft(ActionTypes.UserCreated, EntityTypes.User) { Request = new { email = "broken@test.local" } };

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, _ =>
        {
            // The next connection opened is the one for the FAILED ticket.
            refusals.RefuseNext(2);
            throw new InvalidOperationException("boom inside the action");
        }));

        Assert.Equal(DomainErrorKind.Internal, ex.Kind);
        Assert.NotNull(ex.TicketId);
        var ticket = await TicketAssert.LoadAsync(core.Postgres, ex.TicketId!);
        Assert.Equal(("USER_CREATED", "FAILED"), (ticket.ActionType, ticket.Status));
        Assert.Contains("boom inside the action", ticket.ResponseData);
    }

    /// <summary>Refuses the next N connection opens the way a full server does, before anything is sent.</summary>
    private sealed class RefusedOpens : DbConnectionInterceptor
    {
        private int _remaining;

        public int Remaining => Volatile.Read(ref _remaining);

        public void RefuseNext(int count) => Volatile.Write(ref _remaining, count);

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _remaining) >= 0)
            {
                throw new PostgresException("sorry, too many clients already", "FATAL", "FATAL", PostgresErrorCodes.TooManyConnections);
            }

            Interlocked.Increment(ref _remaining);
            return base.ConnectionOpeningAsync(connection, eventData, result, cancellationToken);
        }
    }
}
