using Bunit;
using MarketMakers.Core.Audit;
using MarketMakers.Web.Api.Logging;
using MarketMakers.Web.Components.Pages.Logging;
using MudBlazor;
using MudBlazor.Extensions;

namespace MarketMakers.Tests.Components.Logging;

public sealed class TicketFilterFormTests : LoggingComponentTest
{
    [Fact]
    public async Task Setting_every_filter_produces_the_filter_and_its_query_string()
    {
        TicketFilter? applied = null;
        var user = Guid.NewGuid();
        var mm = Guid.NewGuid();
        var form = Render<TicketFilterForm>(p => p.Add(f => f.OnApply, f => applied = f));

        Text(form, "From (UTC)", "2026-01-02T03:04");
        Text(form, "To (UTC)", "2026-01-03T00:00");
        Text(form, "User id (UUID)", user.ToString());
        Text(form, "Market maker id (UUID)", mm.ToString());
        Text(form, "Entity id", "order-7");
        Text(form, "Search (ticket id or tag)", "TKT-2026-000042");
        Text(form, "Tags (all of, comma-separated)", "desk-a, run-1");
        await Select(form, "Status", TicketStatus.Failed);
        await Select(form, "Entity type", EntityTypes.Order);
        var types = form.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Action types");
        await form.InvokeAsync(() => types.Instance.SelectedValuesChanged.InvokeAsync([ActionTypes.MmOrderPlaced, ActionTypes.TradeExecuted]));
        form.Find("[data-testid=filter-apply]").Click();

        form.WaitForAssertion(() => Assert.True(applied is not null, form.FindAll("[data-testid=filter-error]").FirstOrDefault()?.TextContent ?? "not applied, no error shown"));
        Assert.NotNull(applied);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero), applied.DateFrom);
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), applied.DateTo);
        Assert.Equal([ActionTypes.MmOrderPlaced, ActionTypes.TradeExecuted], applied.ActionTypes);
        Assert.Equal(user, applied.UserId);
        Assert.Equal(mm, applied.MarketMakerId);
        Assert.Equal(TicketStatus.Failed, applied.Status);
        Assert.Equal(EntityTypes.Order, applied.EntityType);
        Assert.Equal("order-7", applied.EntityId);
        Assert.Equal("TKT-2026-000042", applied.Search);
        Assert.Equal(["desk-a", "run-1"], applied.Tags);
        Assert.Equal(
            "?date_from=2026-01-02T03%3A04%3A00Z&date_to=2026-01-03T00%3A00%3A00Z&action_type=MM_ORDER_PLACED&action_type=TRADE_EXECUTED"
            + $"&user_id={user}&market_maker_id={mm}&status=FAILED&entity_type=Order&entity_id=order-7&search=TKT-2026-000042&tags=desk-a&tags=run-1",
            TicketFilterQuery.ToQueryString(applied));
        Assert.Equal(TicketFilterQuery.ToQueryString(applied), TicketFilterQuery.ToQueryString(TicketFilterQuery.Parse(TicketFilterQuery.ToQueryString(applied))));
    }

    [Fact]
    public void A_filter_from_the_url_fills_the_form()
    {
        var filter = TicketFilterQuery.Parse("?status=SUCCESS&tags=a&tags=b&search=TKT-2026-000001&date_from=2026-05-01T10:30:00Z");

        var form = Render<TicketFilterForm>(p => p.Add(f => f.Filter, filter));

        Assert.Equal("2026-05-01T10:30", Field(form, "From (UTC)").Instance.GetState(x => x.Value));
        Assert.Equal("a, b", Field(form, "Tags (all of, comma-separated)").Instance.GetState(x => x.Value));
        Assert.Equal("TKT-2026-000001", Field(form, "Search (ticket id or tag)").Instance.GetState(x => x.Value));
        Assert.Equal(TicketStatus.Success, form.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Status").Instance.GetState(x => x.Value));
    }

    [Fact]
    public void A_malformed_id_is_refused_with_the_api_message_and_nothing_is_applied()
    {
        var calls = 0;
        var form = Render<TicketFilterForm>(p => p.Add(f => f.OnApply, _ => calls++));

        Text(form, "User id (UUID)", "not-a-uuid");
        form.Find("[data-testid=filter-apply]").Click();

        form.WaitForAssertion(() => Assert.Contains("user_id must be a UUID.", form.Find("[data-testid=filter-error]").TextContent));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Reset_applies_the_empty_filter_but_keeps_the_view_restriction()
    {
        TicketFilter? applied = null;
        var form = Render<TicketFilterForm>(p => p
            .Add(f => f.Filter, new TicketFilter { Status = TicketStatus.Failed, MarketMakerActionsOnly = true })
            .Add(f => f.OnApply, f => applied = f));

        form.Find("[data-testid=filter-reset]").Click();

        form.WaitForAssertion(() => Assert.NotNull(applied));
        Assert.NotNull(applied);
        Assert.Null(applied.Status);
        Assert.Equal("?mm_only=true", TicketFilterQuery.ToQueryString(applied));
    }

    private static IRenderedComponent<MudTextField<string>> Field(IRenderedComponent<TicketFilterForm> form, string label) =>
        form.FindComponents<MudTextField<string>>().Single(c => c.Instance.Label == label);

    private static void Text(IRenderedComponent<TicketFilterForm> form, string label, string value) =>
        Field(form, label).Find("input").Change(value);

    private static Task Select(IRenderedComponent<TicketFilterForm> form, string label, string value)
    {
        var select = form.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return form.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }
}
