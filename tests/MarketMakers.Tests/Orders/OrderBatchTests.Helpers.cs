using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Orders;

/// <summary>Each test on a fresh database, with the processor and its pending orders built as the sequencer builds them.</summary>
public sealed partial class OrderBatchTests
{
    private static async Task InFreshDatabaseAsync(Func<string, IServiceProvider, Task> test)
    {
        var postgres = await TestDatabase.CreateAsync("batch");
        try
        {
            await using var services = TestDatabase.BuildServices(postgres);
            await test(postgres, services);
        }
        finally
        {
            await TestDatabase.DropAsync(postgres);
        }
    }

    private static OrderBatchProcessor Processor(IServiceProvider services) => services.GetRequiredService<OrderBatchProcessor>();

    private static async Task<PendingOrder> PendingAsync(
        IServiceProvider services, string certificate, Guid holderId, Guid? marketMakerId, string side, decimal price, long quantity, RequestContext? context = null)
    {
        var draft = marketMakerId is null ? PlaceClientOrder.Ticket(context?.UserId, null) : PlaceMarketMakerOrder.Ticket(marketMakerId, null);
        var ticket = await services.GetRequiredService<ITicketIdAllocator>().NextAsync();
        var pending = new PendingOrder(draft, context ?? RequestContext.System, holderId, marketMakerId,
            CommandShortcuts.Terms(certificate, side, price, quantity), null, CancellationToken.None);
        pending.AssignTicket(ticket);
        return pending;
    }

    private static async Task<List<long>> SequencesAsync(string postgres, IEnumerable<Guid> ids)
    {
        var result = new List<long>();
        foreach (var id in ids)
        {
            result.Add(await TestDatabase.ScalarAsync<long>(postgres, "SELECT sequence FROM orders WHERE id = @p0", id));
        }

        return result;
    }
}
