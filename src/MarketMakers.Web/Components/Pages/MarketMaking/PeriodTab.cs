using MarketMakers.Core;
using Microsoft.AspNetCore.Components;

namespace MarketMakers.Web.Components.Pages.MarketMaking;

/// <summary>
/// A tab of MM detail that reads one Market Maker over a <see cref="DayRange"/>: it reloads when the range (or one of
/// its own selectors) changes and shows a refused read as a message instead of an error page.
/// </summary>
public abstract class PeriodTab : ComponentBase
{
    [Parameter, EditorRequired] public Guid MarketMakerId { get; set; }

    /// <summary>The period first shown (a deep link's or the tab's default).</summary>
    [Parameter, EditorRequired] public DayRange InitialRange { get; set; } = null!;

    protected DayRange Range { get; private set; } = null!;

    protected string? Error { get; private set; }

    /// <summary>Set after the first read, so tests and people can tell "nothing" from "not yet".</summary>
    protected bool Loaded { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Range = InitialRange;
        await LoadAsync();
    }

    /// <summary>Reads the tab's data for <see cref="Range"/>.</summary>
    protected abstract Task ReadAsync();

    protected async Task LoadAsync()
    {
        Error = null;
        try
        {
            await ReadAsync();
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
        }

        Loaded = true;
    }

    protected async Task RangeChangedAsync(DayRange range)
    {
        Range = range;
        await LoadAsync();
    }

    /// <summary>Sets one of the tab's selectors, then reloads.</summary>
    protected async Task ChangeAsync(Action set)
    {
        set();
        await LoadAsync();
    }
}
