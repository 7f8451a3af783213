using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Identity;

/// <summary>Records a sign-out; the web layer drops the cookie.</summary>
public sealed class SignOutService(BusinessActionRunner runner)
{
    public Task<Audited<object?>> SignOutAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.Logout, EntityTypes.User) { UserId = userId, EntityId = userId.ToString() };
        return runner.RunAsync(draft, _ => Task.CompletedTask, cancellationToken);
    }
}
