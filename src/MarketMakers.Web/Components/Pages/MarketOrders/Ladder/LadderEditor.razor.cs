using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Core.Orders;
using MarketMakers.Web.Components.Shared.Market;
using Microsoft.AspNetCore.Components;

namespace MarketMakers.Web.Components.Pages.MarketOrders.Ladder;

/// <summary>
/// The editor's behaviour: the generator, the selected Market Maker's balances for the preview, and the replace or pull.
/// Derives <see cref="OrderForm"/> for the market's live state (a halted market disables the replace) and
/// <see cref="Shared.CommandForm"/>'s one key per submission, so a double click replaces once.
/// </summary>
public partial class LadderEditor
{
    private readonly LadderModel _model = new();
    private Guid? _marketMakerId;
    private decimal? _mid;
    private decimal? _step = 0.10m;
    private decimal? _size = 10;
    private int _levels = 5;

    [Inject]
    private QuoteService Quotes { get; set; } = null!;

    /// <summary>The active Market Makers with their balances, as last loaded by the page.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<MarketMakerView> MarketMakers { get; set; } = [];

    [Parameter] public Guid? InitialMarketMakerId { get; set; }

    private string? GenerateError { get; set; }

    private string? Outcome { get; set; }

    private MarketMakerView? Selected => MarketMakers.FirstOrDefault(m => m.Id == _marketMakerId);

    protected override void OnParametersSet() => _marketMakerId ??= InitialMarketMakerId;

    private BalanceView BalanceOf(string asset) =>
        Selected?.CurrentBalances.TryGetValue(asset, out var b) == true ? b : BalanceView.Zero;

    private void MarketMakerChanged(Guid? id) => _marketMakerId = id;

    private void Generate()
    {
        GenerateError = (_mid, _step, _size) switch
        {
            (null or <= 0, _, _) => "Enter a mid price.",
            (_, null or <= 0, _) => "Enter a step greater than 0.",
            (_, _, null or <= 0) => "Enter a size greater than 0.",
            _ when _mid <= _step * _levels => "The mid is too low for that many levels at that step.",
            _ => null,
        };
        if (GenerateError is null)
        {
            _model.Generate(_mid!.Value, _step!.Value, decimal.Truncate(_size!.Value), Math.Clamp(_levels, 1, ReplaceQuotes.MaxLevels));
        }
    }

    private Task ReplaceAsync() => SendAsync(mm => _model.ToCommand(new MarketMakerId(mm.Id), CertificateType.Parse(Certificate)), "replace");

    private Task PullAsync() => SendAsync(mm => ReplaceQuotes.Pull(new MarketMakerId(mm.Id), CertificateType.Parse(Certificate)), "pull");

    private async Task SendAsync(Func<MarketMakerView, ReplaceQuotes> build, string what)
    {
        Outcome = null;
        if (Selected is not { } mm)
        {
            return;
        }

        var outcome = await SubmitAsync($"quotes-{what}:{mm.Id}:{Certificate}", () => build(mm), command => Quotes.ReplaceAsync(command));
        if (outcome is { } done)
        {
            Outcome = done.IsReplay
                ? $"Already done · {done.TicketId}"
                : $"{done.Value.Orders.Count} orders placed, {done.Value.Cancelled} cancelled for {mm.Name} · {done.TicketId}";
            Succeeded(what == "pull" ? "Quotes pulled" : "Quotes replaced", done.TicketId);
        }

        await OnCompleted.InvokeAsync();
    }
}
