using Bunit;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.CashMarket;
using MarketMakers.Web.Components.Pages.MarketOrders;
using MarketMakers.Web.Market;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.Market;

/// <summary>
/// Double submission on the order forms: each form sends one Idempotency-Key per submission, so a double click
/// places one order (and writes no FAILED ticket), while the next deliberate submission places another. On a
/// database of its own: the resting orders would disturb the shared books.
/// </summary>
public sealed class OrderFormDoubleClickTests : CoreBunitContext
{
    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync("dblorder");

    protected override Task DropDatabaseAsync(string postgres) => TestDatabase.DropAsync(postgres);

    [Fact]
    public async Task Double_click_on_place_SELL_places_one_Market_Maker_order_and_the_next_submission_places_again()
    {
        var mm = await CreateMarketMakerAsync();
        Render<MudPopoverProvider>();
        var cut = Render<MmOrderForm>(p => p.Add(f => f.MarketMakers, [mm]).Add(f => f.InitialMarketMakerId, mm.Id));

        await AssertDoubleClickPlacesOnceAsync(cut);
    }

    [Fact]
    public async Task Double_click_on_place_BUY_places_one_client_order_and_the_next_submission_places_again()
    {
        var user = await CreateFundedClientAsync(eur: 10_000m);
        var balances = await Services.GetRequiredService<MarketGateway>().UserBalancesAsync(user);
        Render<MudPopoverProvider>();
        var cut = Render<ClientOrderForm>(p => p.Add(f => f.UserId, user).Add(f => f.Balances, balances));

        await AssertDoubleClickPlacesOnceAsync(cut);
    }

    /// <summary>A double click places one order; the form then has a fresh key, so a deliberate second submission places another.</summary>
    private async Task AssertDoubleClickPlacesOnceAsync<T>(IRenderedComponent<T> cut)
        where T : IComponent
    {
        Type(cut, "order-price", "70.00");
        Type(cut, "order-quantity", "10");

        await DoubleClickSubmitAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("TKT-", cut.Find("[data-testid=order-result]").TextContent));
        await AssertOrdersAsync(1);

        Type(cut, "order-quantity", "10");
        await cut.Find("[data-testid=order-submit]").ClickAsync(new MouseEventArgs());
        await AssertOrdersAsync(2);
    }

    /// <summary>Orders on the books and their tickets; a replayed click must leave no trace, not even a FAILED ticket.</summary>
    private async Task AssertOrdersAsync(long expected)
    {
        Assert.Equal(expected, await TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM orders"));
        Assert.Equal(expected, await TestDatabase.ScalarAsync<long>(
            Postgres, "SELECT count(*) FROM ticket_logs WHERE action_type IN ('MM_ORDER_PLACED', 'ORDER_PLACED')"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM ticket_logs WHERE status = 'FAILED'"));
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<MarketMakerService>().CreateAsync(new CreateMarketMakerRequest(
            "Double Click Desk", $"bunit-dbl-{Guid.NewGuid():N}@test.local", null, new Dictionary<string, decimal> { ["CEA"] = 100m }));
        return created.Value;
    }
}
