using AngleSharp.Dom;
using Bunit;
using MarketMakers.Core.Audit;
using MarketMakers.Web.Components.Pages.Logging;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MarketMakers.Tests.Components.Logging;

public sealed class TicketDetailDialogTests : LoggingComponentTest
{
    [Fact]
    public async Task Diff_highlights_the_changed_field_and_not_the_unchanged_one()
    {
        var draft = new TicketDraft(ActionTypes.AssetWithdrawal, EntityTypes.AssetTransaction)
        {
            Before = new { available = "10", locked = "0" },
            After = new { available = "5", locked = "0" },
        };
        draft.Tags.Add(NewTag());
        var id = await RecordAsync(draft);

        var dialog = await OpenAsync(id);

        var available = DiffRow(dialog, "available");
        var locked = DiffRow(dialog, "locked");
        Assert.Equal("changed", available.GetAttribute("data-change"));
        Assert.Contains("mm-diff-changed", available.ClassList);
        Assert.Equal(["available", "10", "5", "changed"], available.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal("unchanged", locked.GetAttribute("data-change"));
        Assert.DoesNotContain("mm-diff-changed", locked.ClassList);
        Assert.Contains("1 changed", dialog.Find("[data-testid=diff-summary]").TextContent);
    }

    [Fact]
    public void Nested_added_and_removed_keys_are_reported_by_path()
    {
        using var before = System.Text.Json.JsonDocument.Parse("""{"CEA":{"available":"10","locked":"0"},"note":"x"}""");
        using var after = System.Text.Json.JsonDocument.Parse("""{"CEA":{"available":"10","locked":"2"},"EUR":{"available":"1"}}""");

        var diff = JsonDiff.Compare(before.RootElement, after.RootElement).ToDictionary(e => e.Path, e => e.Kind);

        Assert.Equal(DiffKind.Unchanged, diff["CEA.available"]);
        Assert.Equal(DiffKind.Changed, diff["CEA.locked"]);
        Assert.Equal(DiffKind.Added, diff["EUR.available"]);
        Assert.Equal(DiffKind.Removed, diff["note"]);
    }

    [Fact]
    public async Task Related_ticket_links_open_the_related_ticket_and_back_returns()
    {
        var tag = NewTag();
        var first = new TicketDraft(ActionTypes.MmOrderPlaced, EntityTypes.Order) { After = new { status = "OPEN" } };
        first.Tags.Add(tag);
        var relatedId = await RecordAsync(first);
        var second = new TicketDraft(ActionTypes.MmOrderCancelled, EntityTypes.Order) { Before = new { status = "OPEN" } };
        second.RelatedTicketIds.Add(relatedId);
        second.Tags.Add(tag);
        var failedId = await RecordAsync(second, fail: true);

        var dialog = await OpenAsync(failedId);
        var link = dialog.Find("[data-testid=related-ticket]");
        Assert.Equal(relatedId, link.TextContent.Trim());
        Assert.Equal("FAILED", dialog.Find("[data-testid=field-status]").TextContent);
        Assert.Contains("Insufficient available balance.", dialog.Find("[data-testid=json-response]").TextContent);
        Assert.NotNull(dialog.Find("[data-testid=diff-failed-note]"));

        link.Click();

        dialog.WaitForAssertion(() =>
        {
            Assert.Equal(relatedId, dialog.Find("[data-testid=ticket-dialog-id]").TextContent);
            Assert.Equal(ActionTypes.MmOrderPlaced, dialog.Find("[data-testid=field-action_type]").TextContent);
        });
        Assert.Equal("added", DiffRow(dialog, "status").GetAttribute("data-change"));

        dialog.Find("[data-testid=ticket-back]").Click();

        dialog.WaitForAssertion(() => Assert.Equal(failedId, dialog.Find("[data-testid=ticket-dialog-id]").TextContent));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(string ticketId)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => TicketDetailDialog.ShowAsync(dialogs, ticketId));
        provider.WaitForAssertion(() =>
        {
            Assert.Equal(ticketId, provider.Find("[data-testid=ticket-dialog-id]").TextContent);
            Assert.NotNull(provider.Find("[data-testid=ticket-fields]"));
        });
        return provider;
    }

    private static IElement DiffRow(IRenderedComponent<MudDialogProvider> dialog, string path) =>
        dialog.FindAll("[data-testid=diff-row]").Single(r => r.GetAttribute("data-path") == path);
}
