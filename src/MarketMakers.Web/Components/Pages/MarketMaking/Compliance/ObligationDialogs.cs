using MarketMakers.Core.Obligations;
using MudBlazor;

namespace MarketMakers.Web.Components.Pages.MarketMaking.Compliance;

/// <summary>Opens the obligation dialog from the Compliance tab.</summary>
public static class ObligationDialogs
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    /// <summary>The saved obligation, or null when cancelled.</summary>
    public static async Task<ObligationView?> SetObligationAsync(this IDialogService dialogs, Guid marketMakerId, ObligationView? existing)
    {
        var parameters = new DialogParameters<ObligationDialog> { { d => d.MarketMakerId, marketMakerId }, { d => d.Existing, existing } };
        var dialog = await dialogs.ShowAsync<ObligationDialog>("Obligation", parameters, Options);
        return (await dialog.Result)?.Data as ObligationView;
    }
}
