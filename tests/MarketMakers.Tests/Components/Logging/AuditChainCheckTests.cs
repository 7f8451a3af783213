using Bunit;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Audit.Sealing;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.Logging;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.Logging;

/// <summary>
/// The Logging page's "Verify audit chain" button, on a database of its own so that the chain it verifies
/// (and tampers with) is exactly the one this test sealed.
/// </summary>
public sealed class AuditChainCheckTests : CoreBunitContext
{
    private readonly List<string> _ids = [];

    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync("verify");

    protected override Task DropDatabaseAsync(string postgres) => TestDatabase.DropAsync(postgres);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < 5; i++)
        {
            await using var scope = Services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
            var draft = new TicketDraft(ActionTypes.UserRoleChanged, EntityTypes.User) { Request = new { step = i } };
            _ids.Add((await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId);
        }

        await Services.GetRequiredService<TicketSealer>().SealPendingAsync();
    }

    [Fact]
    public async Task Verify_reports_an_intact_chain_with_the_number_of_tickets_verified()
    {
        await RecordUnsealedAsync();
        var sealedCount = await TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM ticket_seals");
        var check = Render<AuditChainCheck>();

        check.Find("[data-testid=verify-chain]").Click();

        check.WaitForAssertion(() => Assert.Equal("true", check.Find("[data-testid=verify-result]").GetAttribute("data-intact")));
        var text = check.Find("[data-testid=verify-result]").TextContent;
        Assert.Contains($"Intact, {sealedCount} tickets verified", text, StringComparison.Ordinal);
        Assert.Contains("1 not sealed yet", check.Find("[data-testid=verify-unsealed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(check.FindAll("[data-testid=verify-broken-ticket]"));
    }

    [Fact]
    public async Task Verify_names_the_first_tampered_ticket_as_a_link_that_opens_it()
    {
        var victim = _ids[2];
        await TestDatabase.ExecuteAsync(Postgres,
            $"SET session_replication_role = replica; UPDATE ticket_logs SET request_payload = '{{\"step\": 99}}' WHERE ticket_id = '{victim}'; SET session_replication_role = origin;");
        var provider = Render<MudDialogProvider>();
        var check = Render<AuditChainCheck>();

        check.Find("[data-testid=verify-chain]").Click();

        check.WaitForAssertion(() => Assert.Equal("false", check.Find("[data-testid=verify-result]").GetAttribute("data-intact")));
        var link = check.Find("[data-testid=verify-broken-ticket]");
        Assert.Equal(victim, link.TextContent.Trim());
        Assert.Contains("no longer matches", check.Find("[data-testid=verify-reason]").TextContent, StringComparison.Ordinal);

        link.Click();

        provider.WaitForAssertion(() => Assert.Equal(victim, provider.Find("[data-testid=ticket-dialog-id]").TextContent));
    }

    private async Task RecordUnsealedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        await runner.RunAsync(new TicketDraft(ActionTypes.UserRoleChanged, EntityTypes.User), _ => Task.CompletedTask);
    }
}
