using System.Text.RegularExpressions;
using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.MarketMaking;

namespace MarketMakers.Tests.Components.MarketMaking;

/// <summary>The deposit/withdraw form on a real Market Maker holding 1,000 CEA and 5,000.00 EUR.</summary>
public sealed class LedgerTransactionFormTests : MarketMakersBunitContext
{
    private async Task<MarketMakerView> CreateFundedAsync()
    {
        var created = await MarketMakers.CreateAsync(new CreateMarketMakerRequest(
            "Form Desk", UniqueEmail("form"), null, new Dictionary<string, decimal> { ["CEA"] = 1000m, ["EUR"] = 5000m }));
        return created.Value;
    }

    private IRenderedComponent<LedgerTransactionForm> RenderForm(MarketMakerView mm, IReadOnlyDictionary<string, BalanceView>? balances = null, Action? completed = null) =>
        Render<LedgerTransactionForm>(p => p
            .Add(f => f.MarketMakerId, mm.Id)
            .Add(f => f.Balances, balances ?? mm.CurrentBalances)
            .Add(f => f.OnCompleted, () => completed?.Invoke()));

    private static void Toggle(IRenderedComponent<LedgerTransactionForm> cut, string text) =>
        cut.FindAll(".mud-toggle-item").Single(e => e.TextContent.Trim() == text).Click();

    private async Task<int> LedgerRowsAsync(Guid id) =>
        (await Queries.GetTransactionsAsync(id, null, PageRequestOf()))!.Total;

    private static PageRequest PageRequestOf() => PageRequest.Of(10, 0);

    [Theory]
    [InlineData("Deposit", "CEA", "", "An amount is required.")]
    [InlineData("Deposit", "CEA", "0", "The amount must be greater than 0.")]
    [InlineData("Deposit", "EUR", "-25", "The amount must be greater than 0.")]
    [InlineData("Deposit", "EUR", "10.555", "The amount may have at most 2 decimals.")]
    [InlineData("Deposit", "CEA", "2.5", "CEA amounts must be whole certificates.")]
    [InlineData("Withdraw", "EUA", "1.5", "EUA amounts must be whole certificates.")]
    [InlineData("Withdraw", "CEA", "1001", "Exceeds the available balance of 1,000 CEA.")]
    [InlineData("Withdraw", "EUR", "5000.01", "Exceeds the available balance of € 5,000.00.")]
    public async Task Bad_input_shows_a_validation_message_and_nothing_is_submitted(string type, string asset, string amount, string message)
    {
        var mm = await CreateFundedAsync();
        var rows = await LedgerRowsAsync(mm.Id);
        var completed = 0;
        var cut = RenderForm(mm, completed: () => completed++);

        Toggle(cut, type);
        Toggle(cut, asset);
        if (amount.Length > 0)
        {
            Type(cut, "tx-amount", amount);
        }

        cut.Find("[data-testid=tx-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, string.Join(" | ", ValidationMessages(cut))));
        Assert.Empty(cut.FindAll("[data-testid=tx-result]"));
        Assert.Empty(cut.FindAll("[data-testid=tx-error]"));
        Assert.Equal(0, completed);
        Assert.Empty(Snackbar.ShownSnackbars);
        Assert.Equal(rows, await LedgerRowsAsync(mm.Id));
    }

    [Fact]
    public async Task A_deposit_goes_through_the_service_and_shows_its_ticket()
    {
        var mm = await CreateFundedAsync();
        var completed = 0;
        var cut = RenderForm(mm, completed: () => completed++);

        Type(cut, "tx-amount", "250");
        Type(cut, "tx-notes", "bUnit top-up");
        cut.Find("[data-testid=tx-submit]").Click();

        var result = cut.WaitForElement("[data-testid=tx-result]", TimeSpan.FromSeconds(30));
        Assert.Matches(@"Deposit recorded · TKT-\d{4}-\d+ · CEA available now 1,250", result.TextContent.Trim());
        Assert.Contains(SnackbarMessages, m => Regex.IsMatch(m, @"^Deposit recorded · TKT-\d{4}-\d+$"));
        cut.WaitForAssertion(() => Assert.Equal(1, completed));

        var balances = (await Queries.GetBalancesAsync(mm.Id))!;
        Assert.Equal(new BalanceView(1250m, 0m, 1250m), balances["CEA"]);
        var last = (await Queries.GetTransactionsAsync(mm.Id, Asset.Cea, PageRequestOf()))!.Items[0];
        Assert.Equal(("DEPOSIT", 250m, 1250m, "bUnit top-up"), (last.TransactionType, last.Amount, last.BalanceAfter, last.Notes));
        Assert.Contains(last.TicketId, result.TextContent);
    }

    [Fact]
    public async Task A_withdrawal_the_service_refuses_shows_the_message_and_the_failed_ticket()
    {
        var mm = await CreateFundedAsync();
        // The page's balances are stale: it believes 5,000 CEA are available, the ledger holds 1,000.
        var stale = new Dictionary<string, BalanceView>(mm.CurrentBalances) { ["CEA"] = new BalanceView(5000m, 0m, 5000m) };
        var completed = 0;
        var cut = RenderForm(mm, stale, () => completed++);

        Toggle(cut, "Withdraw");
        Type(cut, "tx-amount", "2000");
        cut.Find("[data-testid=tx-submit]").Click();

        var error = cut.WaitForElement("[data-testid=tx-error]", TimeSpan.FromSeconds(30));
        Assert.Contains("Insufficient available CEA balance", error.TextContent);
        var ticketId = Regex.Match(error.TextContent, @"FAILED (TKT-\d{4}-\d+)").Groups[1].Value;
        var ticket = await TicketAssert.LoadAsync(Postgres, ticketId);
        Assert.Equal(("FAILED", "ASSET_WITHDRAWAL"), (ticket.Status, ticket.ActionType));
        Assert.Contains(SnackbarMessages, m => m.Contains("Insufficient") && m.Contains(ticketId));
        cut.WaitForAssertion(() => Assert.Equal(1, completed));
        Assert.Equal(1000m, (await Queries.GetBalancesAsync(mm.Id))!["CEA"].Available);
    }
}
