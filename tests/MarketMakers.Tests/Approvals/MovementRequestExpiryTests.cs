using System.Net;
using MarketMakers.Core.Approvals;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using Microsoft.Extensions.DependencyInjection;
using static MarketMakers.Tests.Approvals.FourEyesApi;

namespace MarketMakers.Tests.Approvals;

/// <summary>Expiry on a database of its own: two sweepers at once expire each due request exactly once, with its ticket.</summary>
public sealed class MovementRequestExpiryTests(ApprovalsAppFactory app) : IClassFixture<ApprovalsAppFactory>
{
    [Fact]
    public async Task Two_concurrent_sweepers_expire_each_due_request_once_and_an_expired_request_cannot_be_approved()
    {
        using var admin = await app.FirstAdminAsync();
        using var second = await app.CreateSecondAdminAsync();
        var mm = await MmApi.CreateAsync(admin.Http, tag: "expiry");
        var requests = new List<(Guid Id, string Ticket)>();
        for (var i = 0; i < 30; i++)
        {
            requests.Add(await RequestAsync(admin.Http, mm, "CEA", "DEPOSIT", 10 + i));
        }

        // A clock past the 24 h deadline; the app's own sweeper runs on the real clock and finds nothing due.
        var later = new ShiftedClock(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var sweepers = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<MovementRequestExpirer>(app.Services, (TimeProvider)later)).ToList();
        var counts = await Task.WhenAll(sweepers.Select(s => Task.Run(() => s.ExpireDueAsync())));

        Assert.Equal(requests.Count, counts.Sum());
        Assert.Equal(0, await sweepers[0].ExpireDueAsync());
        foreach (var (id, requestTicket) in requests)
        {
            Assert.Equal("EXPIRED", await RequestStatusAsync(app.Postgres, id));
            var tickets = (await TicketAssert.ForEntityAsync(app.Postgres, id.ToString())).Where(t => t.ActionType == "LEDGER_MOVEMENT_EXPIRED").ToList();
            var expired = Assert.Single(tickets);
            Assert.Equal(("SUCCESS", null), (expired.Status, expired.UserId));
            Assert.Equal([requestTicket], expired.RelatedTicketIds);
        }

        var refused = await MmApi.AssertRejectedAsync(app.Postgres, await ApproveAsync(second.Http, requests[0].Id), HttpStatusCode.Conflict, "LEDGER_MOVEMENT_APPROVED");
        Assert.Contains(requests[0].Ticket, refused.RelatedTicketIds);
        Assert.Equal(new LedgerState("", 0), await MmApi.StateAsync(app.Postgres, mm));
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
