using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.Orders;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.CashMarket;
using MarketMakers.Web.Market;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.Market;

/// <summary>
/// The Cash Market order form on a database of its own (it rests orders that would disturb the shared books): a BUY
/// above the user's EUR is stopped in the form, and a self-trade-prevented remainder is shown with its reason.
/// </summary>
public sealed class CashMarketOrderFormTests : CoreBunitContext
{
    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync("cashform");

    protected override Task DropDatabaseAsync(string postgres) => TestDatabase.DropAsync(postgres);

    [Fact]
    public async Task A_BUY_costing_more_than_the_available_EUR_shows_a_message_and_nothing_is_submitted()
    {
        var user = await CreateFundedClientAsync(eur: 1000m, cea: 0m);
        var cut = await RenderFormAsync(user);

        Type(cut, "order-price", "70.00");
        Type(cut, "order-quantity", "15");
        cut.Find("[data-testid=order-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The total € 1,050.00 exceeds your available € 1,000.00.", ValidationMessages(cut)));
        Assert.Empty(cut.FindAll("[data-testid=order-result]"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task A_SELL_that_would_trade_with_the_users_own_bid_shows_the_self_trade_prevention_reason()
    {
        var user = await CreateFundedClientAsync(eur: 10_000m, cea: 50m);
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrderService>().PlaceClientOrderAsync(
                user, CommandShortcuts.Terms("CEA", OrderSide.Buy.Value, 70.00m, 10));
        }

        var cut = await RenderFormAsync(user);
        cut.FindAll("[data-testid=order-side] .mud-toggle-item").Single(e => e.TextContent.Contains("Sell")).Click();
        Type(cut, "order-price", "69.50");
        Type(cut, "order-quantity", "10");
        cut.Find("[data-testid=order-submit]").Click();

        var result = cut.WaitForElement("[data-testid=order-result]", TimeSpan.FromSeconds(30));
        Assert.Contains("SELL 10 CEA @ 69.50 placed · TKT-", result.TextContent);
        Assert.Contains("10 not rested. Remainder cancelled: it would have traded against your own resting order at 70.00", result.TextContent);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message!.StartsWith("Remainder cancelled:", StringComparison.Ordinal));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM cash_market_trades"));
    }

    private async Task<IRenderedComponent<ClientOrderForm>> RenderFormAsync(Guid user)
    {
        var balances = await Services.GetRequiredService<MarketGateway>().UserBalancesAsync(user);
        Render<MudPopoverProvider>();
        var cut = Render<ClientOrderForm>(p => p.Add(f => f.UserId, user).Add(f => f.Balances, balances));
        // The form re-renders once its market (state and limits) has loaded; act on the settled render.
        cut.WaitForAssertion(() => cut.Find("[data-testid=order-limits]"));
        return cut;
    }
}
