using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MarketMakers.Web.Components.Shared;

/// <summary>A dialog that sends one command and closes with its result once it commits.</summary>
public abstract class CommandDialog : CommandForm
{
    [CascadingParameter]
    protected IMudDialogInstance Dialog { get; set; } = null!;

    /// <summary>
    /// Sends the command; on success shows <paramref name="describe"/>'s text with the ticket id and closes with the
    /// value. A refusal keeps the dialog open with its message; a replay (a double click) leaves the closing to the
    /// first run.
    /// </summary>
    protected async Task SendAndCloseAsync<TCommand, T>(string name, Func<TCommand> build, Func<TCommand, Task<Audited<T>>> send, Func<T, string> describe)
        where TCommand : Command
    {
        if (await SubmitAsync(name, build, send) is { IsReplay: false } done)
        {
            Succeeded(describe(done.Value), done.TicketId);
            Dialog.Close(DialogResult.Ok(done.Value));
        }
    }
}
