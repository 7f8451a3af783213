using MarketMakers.Core.Audit;

namespace MarketMakers.Core.Identity;

/// <summary>
/// Records a sign-out and revokes that one session (its <c>sid</c>) in the same transaction, so the cookie or token is
/// refused by every instance from its next request on, while the user's other sessions live on.
/// </summary>
public sealed class SignOutService(BusinessActionRunner runner, IUserSessionEvents sessions)
{
    public async Task<Audited<object?>> SignOutAsync(Guid userId, string? sessionId, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken = default)
    {
        var draft = new TicketDraft(ActionTypes.Logout, EntityTypes.User) { UserId = userId, EntityId = userId.ToString(), SessionId = sessionId };
        var result = await runner.RunAsync(draft, async scope =>
        {
            if (!string.IsNullOrEmpty(sessionId) && await scope.Db.Set<RevokedSession>().FindAsync([sessionId], cancellationToken) is null)
            {
                scope.Db.Add(RevokedSession.Of(sessionId, userId, scope.Now, sessionExpiresAt));
                await scope.Db.SaveChangesAsync(cancellationToken);
            }
        }, cancellationToken);
        await sessions.UserChangedAsync(userId);
        return result;
    }
}
