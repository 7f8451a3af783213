using MarketMakers.Web.Components.Shared.Market;
using MarketMakers.Core;
using MarketMakers.Core.MarketMaking;
using MudBlazor;

namespace MarketMakers.Web.Components.Pages.MarketMaking;

/// <summary>Opens the Market Maker dialogs from the list and the detail view alike.</summary>
public static class MarketMakerDialogs
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    /// <summary>The created Market Maker, or null when cancelled.</summary>
    public static async Task<MarketMakerView?> CreateAsync(this IDialogService dialogs)
    {
        var dialog = await dialogs.ShowAsync<CreateMarketMakerDialog>("New Market Maker", Options);
        return (await dialog.Result)?.Data as MarketMakerView;
    }

    /// <summary>The updated Market Maker, or null when cancelled.</summary>
    public static async Task<MarketMakerView?> EditAsync(this IDialogService dialogs, MarketMakerView mm)
    {
        var parameters = new DialogParameters<EditMarketMakerDialog> { { d => d.MarketMaker, mm } };
        var dialog = await dialogs.ShowAsync<EditMarketMakerDialog>("Edit Market Maker", parameters, Options);
        return (await dialog.Result)?.Data as MarketMakerView;
    }

    /// <summary>Asks for confirmation, then deactivates; the deactivated Market Maker, or null when cancelled or refused.</summary>
    public static async Task<MarketMakerView?> DeactivateAsync(
        this IDialogService dialogs, MarketMakerService service, ISnackbar snackbar, MarketMakerView mm)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(
            "Deactivate Market Maker",
            $"Deactivate {mm.Name} ({mm.Email})? It can no longer deposit, withdraw or trade. Its balances, ledger and tickets are kept.",
            yesText: "Deactivate", cancelText: "Cancel");
        if (confirmed != true)
        {
            return null;
        }

        try
        {
            var result = await service.DeactivateAsync(new DeactivateMarketMaker(new MarketMakerId(mm.Id)));
            snackbar.Success($"Market Maker {mm.Name} deactivated", result.TicketId);
            return result.Value;
        }
        catch (DomainException ex)
        {
            snackbar.Failure(ex);
            return null;
        }
    }
}
