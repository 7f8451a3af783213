using MarketMakers.Core;
using MarketMakers.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Components.Logging;

/// <summary>The Logging page's components, over tickets recorded through the real runner.</summary>
public abstract class LoggingComponentTest : CoreBunitContext
{
    protected static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Records one ticket through the real runner; a failing one returns its FAILED ticket id.</summary>
    protected async Task<string> RecordAsync(TicketDraft draft, bool fail = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<BusinessActionRunner>();
        if (!fail)
        {
            return (await runner.RunAsync(draft, _ => Task.CompletedTask)).TicketId;
        }

        var ex = await Assert.ThrowsAsync<DomainException>(() => runner.RunAsync(draft, _ => throw DomainException.Rule("Insufficient available balance.")));
        return ex.TicketId!;
    }
}
