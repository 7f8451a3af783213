using Bunit;
using MarketMakers.Core.Risk;
using MarketMakers.Tests.Components;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.MarketOrders;
using MarketMakers.Web.Components.Shared.Market;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Risk;

/// <summary>
/// The live order book and the Market Orders form with the REAL services on a database of their own (a halt would
/// refuse the orders of other tests): a halt issued through the service, as from another instance, reaches both
/// over the notifier without a reload, and the resume clears it.
/// </summary>
public sealed class HaltedBookComponentTests : CoreBunitContext
{
    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync("haltbook");

    protected override Task DropDatabaseAsync(string postgres) => TestDatabase.DropAsync(postgres);

    [Fact]
    public async Task A_halt_shows_on_the_live_book_and_disables_the_MM_order_form_until_the_resume()
    {
        Render<MudPopoverProvider>();
        var book = Render<LiveOrderBook>();
        var form = Render<MmOrderForm>(p => p.Add(f => f.MarketMakers, []));
        book.WaitForAssertion(() => Assert.Equal("true", book.Find("[data-testid=order-book]").GetAttribute("data-loaded")));
        form.WaitForAssertion(() => Assert.Contains("No price collar · at most 1,000,000,000 CEA", form.Find("[data-testid=order-limits]").TextContent));
        Assert.Empty(book.FindAll("[data-testid=book-halted]"));
        Assert.False(form.Find("button[data-testid=order-submit]").HasAttribute("disabled"));

        await ChangeAsync(m => m.HaltAsync(HaltMarket.Parse("CEA", "Fat-finger quotes from one desk")));

        book.WaitForAssertion(() => Assert.Contains(
            "HALTED · the CEA market accepts no new orders until it resumes. Reason: Fat-finger quotes from one desk",
            book.Find("[data-testid=book-halted]").TextContent));
        Assert.Equal("HALTED", book.Find("[data-testid=order-book]").GetAttribute("data-state"));
        Assert.Equal("HALTED", book.Find("[data-testid=book-halted-chip]").TextContent.Trim());
        form.WaitForAssertion(() => Assert.True(form.Find("button[data-testid=order-submit]").HasAttribute("disabled")));
        Assert.Contains("The CEA market is HALTED: new orders are refused until it resumes. Reason: Fat-finger quotes from one desk",
            form.Find("[data-testid=order-halted]").TextContent);

        await ChangeAsync(m => m.ResumeAsync(ResumeMarket.Parse("CEA", "Quotes pulled, desk checked")));

        book.WaitForAssertion(() => Assert.Empty(book.FindAll("[data-testid=book-halted]")));
        Assert.Empty(book.FindAll("[data-testid=book-halted-chip]"));
        Assert.Equal("OPEN", book.Find("[data-testid=order-book]").GetAttribute("data-state"));
        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=order-halted]")));
        Assert.False(form.Find("button[data-testid=order-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_halt_of_the_other_instrument_marks_its_tab_and_leaves_the_shown_book_and_form_open()
    {
        Render<MudPopoverProvider>();
        var book = Render<LiveOrderBook>();
        var form = Render<MmOrderForm>(p => p.Add(f => f.MarketMakers, []));
        book.WaitForAssertion(() => Assert.Equal("true", book.Find("[data-testid=order-book]").GetAttribute("data-loaded")));

        await ChangeAsync(m => m.HaltAsync(HaltMarket.Parse("EUA", "Registry outage")));

        book.WaitForAssertion(() => Assert.Contains("EUA · HALTED", book.Find("[data-testid=book-tabs]").TextContent));
        Assert.Empty(book.FindAll("[data-testid=book-halted]"));
        Assert.Empty(form.FindAll("[data-testid=order-halted]"));
        Assert.False(form.Find("button[data-testid=order-submit]").HasAttribute("disabled"));

        // The form follows its own certificate: on EUA it shows the halt and will not submit.
        form.FindAll("[data-testid=order-certificate] .mud-toggle-item").Single(e => e.TextContent.Contains("EUA")).Click();
        form.WaitForAssertion(() => Assert.Contains("Reason: Registry outage", form.Find("[data-testid=order-halted]").TextContent));
        Assert.True(form.Find("button[data-testid=order-submit]").HasAttribute("disabled"));
    }

    private async Task ChangeAsync(Func<MarketService, Task> change)
    {
        await using var scope = Services.CreateAsyncScope();
        await change(scope.ServiceProvider.GetRequiredService<MarketService>());
    }
}
