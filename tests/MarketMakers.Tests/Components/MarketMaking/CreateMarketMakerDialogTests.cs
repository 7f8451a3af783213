using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.MarketMaking;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.MarketMaking;

/// <summary>The create dialog opened through IDialogService inside a rendered MudDialogProvider.</summary>
public sealed class CreateMarketMakerDialogTests : MarketMakersBunitContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<MarketMakerView?> Result)> OpenAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<MarketMakerView?> result = null!;
        await provider.InvokeAsync(() => { result = dialogs.CreateAsync(); });
        provider.WaitForElement("[data-testid=mm-create-dialog]");
        return (provider, result);
    }

    [Fact]
    public async Task Empty_name_and_bad_email_show_messages_and_nothing_is_created()
    {
        var (cut, result) = await OpenAsync();
        var email = "not-an-email";
        Type(cut, "mm-email", email);

        cut.Find("[data-testid=mm-create-submit]").Click();

        cut.WaitForAssertion(() =>
        {
            var messages = string.Join(" | ", ValidationMessages(cut));
            Assert.Contains("A name is required.", messages);
            Assert.Contains("Enter a valid email address.", messages);
        });
        Assert.False(result.IsCompleted);
        Assert.Empty(Snackbar.ShownSnackbars);
        Assert.Equal(0, await CountMarketMakersAsync(email));
    }

    [Theory]
    [InlineData("mm-initial-cea", "0.5", "CEA amounts must be whole certificates.")]
    [InlineData("mm-initial-eua", "-3", "The amount must be greater than 0.")]
    [InlineData("mm-initial-eur", "10.555", "The amount may have at most 2 decimals.")]
    public async Task Bad_initial_balances_show_messages_and_nothing_is_created(string field, string value, string message)
    {
        var (cut, result) = await OpenAsync();
        var email = UniqueEmail("initial");
        Type(cut, "mm-name", "Bad Balance Desk");
        Type(cut, "mm-email", email);
        Type(cut, field, value);

        cut.Find("[data-testid=mm-create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, ValidationMessages(cut)));
        Assert.False(result.IsCompleted);
        Assert.Equal(0, await CountMarketMakersAsync(email));
    }

    [Fact]
    public async Task Submit_creates_the_MM_with_its_initial_balances_and_shows_the_ticket()
    {
        var (cut, result) = await OpenAsync();
        var email = UniqueEmail("create");
        Type(cut, "mm-name", "Baltic Allowance Partners");
        Type(cut, "mm-email", email);
        Type(cut, "mm-description", "bUnit desk");
        Type(cut, "mm-initial-cea", "1000");
        Type(cut, "mm-initial-eur", "2500.75");

        cut.Find("[data-testid=mm-create-submit]").Click();

        var created = await result.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(created);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=mm-create-dialog]")));
        var snack = Assert.Single(SnackbarMessages, m => m.Contains("Baltic Allowance Partners created"));
        Assert.Matches(@"created · TKT-\d{4}-\d+$", snack);

        var stored = await Queries.GetAsync(created.Id);
        Assert.NotNull(stored);
        Assert.Equal(email, stored.Email);
        Assert.Equal(1000m, stored.CurrentBalances["CEA"].Available);
        Assert.Equal(0m, stored.CurrentBalances["EUA"].Available);
        Assert.Equal(2500.75m, stored.CurrentBalances["EUR"].Available);
        var ticket = await TicketAssert.LoadAsync(Postgres, snack.Split(" · ")[^1]);
        Assert.Equal("SUCCESS", ticket.Status);
        Assert.Equal("MM_CREATED", ticket.ActionType);
    }

    [Fact]
    public async Task A_duplicate_email_is_refused_by_the_service_with_its_failed_ticket()
    {
        var email = UniqueEmail("dup");
        await MarketMakers.CreateAsync(new CreateMarketMakerRequest("First Desk", email, null));
        var (cut, result) = await OpenAsync();
        Type(cut, "mm-name", "Second Desk");
        Type(cut, "mm-email", email.ToUpperInvariant());

        cut.Find("[data-testid=mm-create-submit]").Click();

        var error = cut.WaitForElement("[data-testid=mm-create-error]");
        Assert.Contains("already exists", error.TextContent);
        var ticketId = System.Text.RegularExpressions.Regex.Match(error.TextContent, @"FAILED (TKT-\d{4}-\d+)").Groups[1].Value;
        Assert.Equal("FAILED", (await TicketAssert.LoadAsync(Postgres, ticketId)).Status);
        Assert.Contains(SnackbarMessages, m => m.Contains(ticketId));
        Assert.False(result.IsCompleted);
        Assert.Equal(1, await CountMarketMakersAsync(email));
    }
}
