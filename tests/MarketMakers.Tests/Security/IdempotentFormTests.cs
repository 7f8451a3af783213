using Bunit;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Components.MarketMaking;
using MarketMakers.Web.Components.Pages.MarketMaking;
using Microsoft.AspNetCore.Components.Web;

namespace MarketMakers.Tests.Security;

/// <summary>Double submission on the page: the deposit form sends one Idempotency-Key per submission.</summary>
public sealed class IdempotentFormTests : MarketMakersBunitContext
{
    [Fact]
    public async Task Double_click_on_record_deposit_books_one_deposit_and_the_next_submission_books_again()
    {
        var mm = (await MarketMakers.CreateAsync(new CreateMarketMakerRequest("Double Click Desk", UniqueEmail("dbl"), null, null))).Value;
        var cut = Render<LedgerTransactionForm>(p => p
            .Add(f => f.MarketMakerId, mm.Id)
            .Add(f => f.Balances, mm.CurrentBalances));
        cut.FindAll(".mud-toggle-item").Single(e => e.TextContent.Trim() == "EUR").Click();
        Type(cut, "tx-amount", "10");

        await DoubleClickSubmitAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("recorded", cut.Find("[data-testid=tx-result]").TextContent));
        Assert.Equal(1, await RowsAsync(mm.Id));

        // The form was reset with a fresh key: a deliberate second deposit is booked.
        Type(cut, "tx-amount", "10");
        await cut.Find("[data-testid=tx-submit]").ClickAsync(new MouseEventArgs());
        Assert.Equal(2, await RowsAsync(mm.Id));
    }

    private async Task<int> RowsAsync(Guid id) =>
        (await Queries.GetTransactionsAsync(id, null, Core.PageRequest.Of(10, 0)))!.Total;
}
