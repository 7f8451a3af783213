using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;

namespace MarketMakers.Web.Components.Shared;

/// <summary>
/// A money-moving form's Idempotency-Key (docs/decisions/0008-idempotency.md). A browser double click can run the
/// submit handler twice before the disabled button reaches the browser; both runs carry the same key, so the business
/// action commits once and the other run is replayed. Registered transient: each form instance owns its key.
/// </summary>
public sealed class FormSubmission(IdempotencyContext idempotency, IRequestContextAccessor requestContext)
{
    private Guid _key = Guid.NewGuid();

    /// <summary>
    /// Runs the form's one business action under this submission's key. A second run of the same submission throws
    /// <see cref="IdempotentReplayException"/> naming the first one's ticket; a refused action does not use up the key.
    /// </summary>
    public async Task<T> RunAsync<T>(string command, object fields, Func<Task<T>> action)
    {
        using (idempotency.Use(IdempotencyRequest.ForForm(requestContext.Current.UserId, _key, command, fields)))
        {
            return await action();
        }
    }

    /// <summary>Call after a success: what the user submits next is a new command, even with the same fields.</summary>
    public void Renew() => _key = Guid.NewGuid();
}
