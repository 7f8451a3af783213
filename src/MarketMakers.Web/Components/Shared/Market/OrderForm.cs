using MarketMakers.Core.Audit;
using MarketMakers.Core.Orders;
using MarketMakers.Core.Risk;
using MarketMakers.Web.Market;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;

namespace MarketMakers.Web.Components.Shared.Market;

/// <summary>
/// What the two order forms share on top of <see cref="CommandForm"/>: the limit fields, re-checking a typed
/// quantity when the balance it is checked against changes, the placement's outcome line, and the selected
/// market's live state: while it is HALTED the form says so and its submit is disabled (the server refuses anyway).
/// </summary>
public abstract class OrderForm : CommandForm, IDisposable
{
    private MarketWatch? _watch;
    private IReadOnlyList<MarketView> _markets = [];

    [Inject]
    private IOrderBookNotifier Notifier { get; set; } = null!;

    [Inject]
    private MarketService Markets { get; set; } = null!;

    [Inject]
    private ILogger<OrderForm> Log { get; set; } = null!;

    /// <summary>The selected instrument's market (state and limits), as last announced; null before the first read.</summary>
    protected MarketView? Market => _markets.FirstOrDefault(m => m.CertificateType == Certificate);

    /// <summary>While true the submit is disabled: every new order would be refused with 409.</summary>
    protected bool Halted => Market?.IsHalted == true;

    protected decimal? Price { get; set; }

    protected decimal? Quantity { get; set; }

    /// <summary>The outcome line: what was placed, its ticket, and whether the remainder was cancelled.</summary>
    protected string? Result { get; private set; }

    protected bool Warning { get; private set; }

    [Parameter] public string Certificate { get; set; } = CertificateType.Cea.Value;

    [Parameter] public EventCallback<string> CertificateChanged { get; set; }

    /// <summary>Raised after every attempt, so the page can reload balances and orders.</summary>
    [Parameter] public EventCallback OnCompleted { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _watch = new MarketWatch(Notifier, Markets, Log, markets => InvokeAsync(() =>
        {
            _markets = markets;
            StateHasChanged();
        }));
        var first = await _watch.ReadAsync();
        // A change announced while this first read ran was read after it: keep that newer view.
        if (_markets.Count == 0)
        {
            _markets = first;
        }
    }

    protected async Task CertificateChangedAsync(string type)
    {
        Certificate = type;
        await CertificateChanged.InvokeAsync(type);
        await RevalidateAsync();
    }

    /// <summary>The quantity limit depends on the holder, side and certificate: re-check a typed quantity when they change.</summary>
    protected Task RevalidateAsync() => RevalidateAsync(Quantity is not null);

    /// <summary>The terms as typed, parsed once (after the form validated them).</summary>
    protected OrderTerms Terms(OrderSide side) =>
        new(CertificateType.Parse(Certificate), side, Core.Values.Price.Parse(Price), Core.Values.Quantity.Parse(Quantity));

    /// <summary>Sends a placement and shows its outcome; <paramref name="describe"/> names what was placed.</summary>
    protected async Task PlaceAsync<TCommand>(
        string name, Func<TCommand> build, Func<TCommand, Task<Audited<PlacedOrder>>> send, Func<OrderRow, string> describe)
        where TCommand : Command
    {
        Result = null;
        var outcome = await SubmitAsync(name, build, send);
        if (outcome is { IsReplay: true })
        {
            // The same submission ran twice (a double click): the order was placed once, by the first run.
            Result = $"Order already placed · {outcome.TicketId}";
        }
        else if (outcome is not null)
        {
            var placed = PlacementResult.From(outcome);
            var what = describe(placed.Order);
            var filled = placed.Trades.Count > 0 ? $" · filled {MarketUi.Quantity(placed.Order.FilledQuantity)} in {placed.Trades.Count} trade(s)" : "";
            Warning = placed.CancelReason is not null;
            Result = MarketUi.PlacementText(what, placed, filled);
            Snackbar.Placed(what, placed);
            Quantity = null;
            StateHasChanged();
            await Task.Yield();
            await Form!.ResetValidationAsync();
        }

        if (Sent)
        {
            await OnCompleted.InvokeAsync();
        }
    }

    public void Dispose() => _watch?.Dispose();
}
