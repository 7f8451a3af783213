using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MarketMakers.Web.Components.Shared;

/// <summary>
/// The base of every form and dialog that sends a command: validation, the busy state, one idempotency key per
/// form instance and the outcome with its ticket id. A browser double click can run the submit handler twice
/// before the disabled button reaches the browser; both runs carry the same key, so the command commits once and
/// the second run comes back as a replay naming the first one's ticket (docs/decisions/0008-idempotency.md).
/// </summary>
public abstract class CommandForm : ComponentBase
{
    private Guid _key = Guid.NewGuid();

    [Inject]
    protected IRequestContextAccessor RequestContext { get; set; } = null!;

    [Inject]
    protected ISnackbar Snackbar { get; set; } = null!;

    /// <summary>The form's fields; when set, they are validated before anything is sent.</summary>
    protected MudForm? Form { get; set; }

    protected bool Busy { get; private set; }

    /// <summary>Whether the last submission passed validation and was sent (committed, replayed or refused).</summary>
    protected bool Sent { get; private set; }

    /// <summary>The last refusal, with its FAILED ticket id, for the form to show.</summary>
    protected string? Error { get; set; }

    /// <summary>
    /// Validates, builds the command from the fields (<paramref name="build"/> may still refuse them), gives it this
    /// submission's key and sends it. Returns the outcome (a replay included), or null when the input was invalid or
    /// the command was refused; a refusal is shown in <see cref="Error"/> and a snackbar and does not use up the key,
    /// so the user can fix and retry. <paramref name="name"/> names the command and its target, e.g. "mm-order:{id}".
    /// </summary>
    protected async Task<Audited<T>?> SubmitAsync<TCommand, T>(string name, Func<TCommand> build, Func<TCommand, Task<Audited<T>>> send)
        where TCommand : Command
    {
        Error = null;
        Sent = false;
        if (Form is not null)
        {
            await Form.ValidateAsync();
            if (!Form.IsValid)
            {
                return null;
            }
        }

        Busy = true;
        Sent = true;
        try
        {
            var command = build();
            var key = IdempotencyRequest.ForForm(RequestContext.Current.UserId, _key, name, command);
            var outcome = await send((TCommand)command.WithIdempotency(key));

            // What the user submits next is a new command, even with the same fields.
            _key = Guid.NewGuid();
            return outcome;
        }
        catch (DomainException ex)
        {
            Error = FailureText(ex);
            Snackbar.Add(Error, Severity.Error, o => o.VisibleStateDuration = 15000);
            return null;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>A field's rules depend on another field (an asset, a side): re-check the typed value when that changes.</summary>
    protected async Task RevalidateAsync(bool typed)
    {
        StateHasChanged();
        if (typed && Form is not null)
        {
            await Task.Yield();
            await Form.ValidateAsync();
        }
    }

    /// <summary>A committed command's ticket id as a snackbar.</summary>
    protected void Succeeded(string what, string ticketId) => Snackbar.Add($"{what} · {ticketId}", Severity.Success);

    public static string FailureText(DomainException ex) =>
        ex.TicketId is { Length: > 0 } ticket ? $"{ex.Message} · FAILED {ticket}" : ex.Message;
}
