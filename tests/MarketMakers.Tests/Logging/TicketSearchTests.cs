using Bunit;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Web.Components.Pages.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MarketMakers.Tests.Logging;

/// <summary>
/// What a user sees of ticket search beyond the count cap (ADR 0007): a large match reports "10,000+" instead of an
/// exact total, a ticket id finds its ticket, and small tag searches page in list order. A database of its own, so
/// that the counts are exactly this test's tickets.
/// </summary>
public sealed class TicketSearchTests : BunitContext, IAsyncLifetime
{
    private const int Bulk = TicketQueries.TotalCap + 50;
    private const int Rare = Bulk / 400;
    private string _postgres = "";

    public async Task InitializeAsync()
    {
        _postgres = await TestDatabase.CreateAsync("search");
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(TestDatabase.Settings(_postgres)).Build());
        Services.AddLogging();
        Services.AddMarketMakersCore();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Numbers 1..Bulk carry "bulk", every 400th of them also "rare"; ids TKT-2031-0000001 on, clear of the seeded admin ticket.
        await TestDatabase.ExecuteAsync(_postgres, $"""
            INSERT INTO ticket_logs (ticket_id, year, number, timestamp, action_type, entity_type, entity_id, status, related_ticket_ids, tags)
            SELECT 'TKT-2031-' || lpad(g::text, 7, '0'), 2031, g, now() - (g * interval '1 second'), 'USER_ROLE_CHANGED', 'User', 'u' || g,
                   'SUCCESS', ARRAY[]::text[], CASE WHEN g % 400 = 0 THEN ARRAY['bulk', 'rare'] ELSE ARRAY['bulk'] END
            FROM generate_series(1, {Bulk}) AS g;
            ANALYZE ticket_logs;
            """);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestDatabase.DropAsync(_postgres);
    }

    [Fact]
    public async Task A_match_larger_than_the_cap_reports_the_cap_and_flags_it()
    {
        var queries = Services.GetRequiredService<TicketQueries>();

        var page = await queries.SearchAsync(new TicketFilter { Tags = ["bulk"] }, new PageRequest(50, 0));
        var pinned = await queries.SearchPinnedAsync(new TicketFilter { Tags = ["bulk"] }, new PageRequest(50, 0));

        Assert.Equal(TicketQueries.TotalCap, page.Total);
        Assert.True(page.TotalCapped);
        Assert.Equal(50, page.Items.Count);
        Assert.Equal("TKT-2031-0010050", page.Items[0].TicketId);
        Assert.True(pinned.TotalCapped);
        Assert.Equal(TicketQueries.TotalCap, pinned.Total);
    }

    [Fact]
    public async Task Past_the_cap_pages_still_load_and_the_last_page_has_an_exact_total()
    {
        var queries = Services.GetRequiredService<TicketQueries>();

        var deep = await queries.SearchAsync(new TicketFilter { Tags = ["bulk"] }, new PageRequest(25, TicketQueries.TotalCap));
        var last = await queries.SearchAsync(new TicketFilter { Tags = ["bulk"] }, new PageRequest(100, Bulk - 40));

        Assert.Equal(25, deep.Items.Count);
        Assert.Equal("TKT-2031-" + (Bulk - TicketQueries.TotalCap).ToString("D7", System.Globalization.CultureInfo.InvariantCulture), deep.Items[0].TicketId);
        Assert.Equal(Bulk, last.Total);
        Assert.False(last.TotalCapped);
        Assert.Equal(40, last.Items.Count);
    }

    [Fact]
    public async Task A_match_within_the_cap_is_counted_exactly_and_pages_newest_first()
    {
        var queries = Services.GetRequiredService<TicketQueries>();
        var expected = Enumerable.Range(1, Bulk).Where(g => g % 400 == 0).OrderByDescending(g => g).Select(Id).ToList();

        var first = await queries.SearchAsync(new TicketFilter { Search = "rare" }, new PageRequest(10, 0));
        var second = await queries.SearchAsync(new TicketFilter { Tags = ["rare"] }, new PageRequest(10, 10));

        Assert.Equal(expected.Count, first.Total);
        Assert.False(first.TotalCapped);
        Assert.Equal(expected.Take(10), first.Items.Select(t => t.TicketId));
        Assert.Equal(expected.Skip(10).Take(10), second.Items.Select(t => t.TicketId));
    }

    [Fact]
    public async Task Searching_a_ticket_id_finds_that_ticket_alone()
    {
        var queries = Services.GetRequiredService<TicketQueries>();

        var found = await queries.SearchAsync(new TicketFilter { Search = " TKT-2031-0004321 " }, new PageRequest(50, 0));
        var missing = await queries.SearchAsync(new TicketFilter { Search = "TKT-2031-9999999" }, new PageRequest(50, 0));
        var withOtherFilter = await queries.SearchAsync(new TicketFilter { Search = "TKT-2031-0004321", Status = TicketStatus.Failed }, new PageRequest(50, 0));

        Assert.Equal(1, found.Total);
        Assert.Equal("TKT-2031-0004321", Assert.Single(found.Items).TicketId);
        Assert.Equal(0, missing.Total);
        Assert.Empty(missing.Items);
        Assert.Equal(0, withOtherFilter.Total);
    }

    [Fact]
    public void The_grid_shows_a_capped_total_as_10000_plus()
    {
        var grid = Render<TicketGrid>(p => p.Add(g => g.Filter, new TicketFilter { Tags = ["bulk"] }).Add(g => g.TestId, "all-grid"));

        grid.WaitForAssertion(() => Assert.Equal("10,000+ tickets", grid.Find("[data-testid=all-grid-total]").TextContent.Trim()), TimeSpan.FromSeconds(20));
        Assert.Contains("of 10,000+", grid.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grid_shows_an_exact_total_below_the_cap()
    {
        var grid = Render<TicketGrid>(p => p.Add(g => g.Filter, new TicketFilter { Tags = ["rare"] }).Add(g => g.TestId, "all-grid"));

        grid.WaitForAssertion(() => Assert.Equal($"{Rare} tickets", grid.Find("[data-testid=all-grid-total]").TextContent.Trim()), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("+", grid.Find("[data-testid=all-grid-total]").TextContent, StringComparison.Ordinal);
    }

    private static string Id(int number) => "TKT-2031-" + number.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
}
