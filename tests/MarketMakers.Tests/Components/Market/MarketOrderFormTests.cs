using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.MarketOrders;
using MarketMakers.Web.Market;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.Market;

/// <summary>
/// The Market Orders order form with MudBlazor and the REAL Core services on the run's test database: bad input is
/// stopped in the form with a message, and nothing reaches the order service (no order, no ticket, no snackbar).
/// </summary>
public sealed class MarketOrderFormTests : CoreBunitContext
{
    [Theory]
    [InlineData("70.005", "10", "The price must be on the 0.01 tick.")]
    [InlineData("0", "10", "The price must be greater than 0.")]
    [InlineData("70.00", "2.5", "The quantity must be a whole number of certificates.")]
    [InlineData("70.00", "-3", "The quantity must be greater than 0.")]
    [InlineData("70.00", "101", "Exceeds the available balance of 100 CEA.")]
    public async Task Bad_input_shows_a_message_and_nothing_is_submitted(string price, string quantity, string message)
    {
        var mm = await CreateMarketMakerAsync(cea: 100);
        var ticketsBefore = await TicketCountAsync(mm.Id);
        var cut = RenderForm(mm);
        cut.WaitForAssertion(() => Assert.Contains("100 CEA", cut.Find("[data-testid=order-mm-available]").TextContent));

        Type(cut, "order-price", price);
        Type(cut, "order-quantity", quantity);
        cut.Find("[data-testid=order-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, ValidationMessages(cut)));
        Assert.Empty(cut.FindAll("[data-testid=order-result]"));
        Assert.Empty(cut.FindAll("[data-testid=order-error]"));
        Assert.Empty(Snackbar.ShownSnackbars);
        Assert.Equal(0L, await OrderCountAsync(mm.Id));
        Assert.Equal(ticketsBefore, await TicketCountAsync(mm.Id));
    }

    [Fact]
    public async Task The_total_value_preview_follows_price_and_quantity()
    {
        var mm = await CreateMarketMakerAsync(cea: 1000);
        var cut = RenderForm(mm);

        Type(cut, "order-price", "70.25");
        Type(cut, "order-quantity", "300");

        cut.WaitForAssertion(() => Assert.Contains("€ 21,075.00", cut.Find("[data-testid=order-total]").TextContent));
    }

    private IRenderedComponent<MmOrderForm> RenderForm(MarketMakerView mm)
    {
        Render<MudPopoverProvider>();
        var cut = Render<MmOrderForm>(p => p
            .Add(f => f.MarketMakers, [mm])
            .Add(f => f.InitialMarketMakerId, mm.Id));
        // The form re-renders once its market (state and limits) has loaded; typing or clicking before that would
        // act on elements of the previous render.
        cut.WaitForAssertion(() => cut.Find("[data-testid=order-limits]"));
        return cut;
    }

    private async Task<MarketMakerView> CreateMarketMakerAsync(decimal cea)
    {
        await using var scope = Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<MarketMakerService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await service.CreateAsync(new CreateMarketMakerRequest(
            $"bUnit Desk {suffix}", $"bunit-order-{suffix}@test.local", null, new Dictionary<string, decimal> { ["CEA"] = cea }));
        return created.Value;
    }

    private Task<long> OrderCountAsync(Guid marketMakerId) =>
        TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM orders WHERE holder_id = @p0", marketMakerId);

    private Task<long> TicketCountAsync(Guid marketMakerId) =>
        TestDatabase.ScalarAsync<long>(Postgres, "SELECT count(*) FROM ticket_logs WHERE market_maker_id = @p0", marketMakerId);
}
