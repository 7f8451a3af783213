using MarketMakers.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MarketMakers.Core.Idempotency;

/// <summary>The response a key's first, committed request produced; a retry gets it back as it was.</summary>
public sealed record StoredResponse(int StatusCode, string Body, string? TicketId);

/// <summary>
/// The <c>idempotency_keys</c> table (docs/decisions/0008-idempotency.md). A key is claimed first thing in the
/// action's transaction and completed with its response in the same transaction, so a key is never stored without
/// its effect, nor an effect without its key. Used by the business-action runner and the order batch alike.
/// </summary>
public sealed class IdempotencyStore(IDbContextFactory<MarketMakersDbContext> dbFactory)
{
    /// <summary>Fast path for a retry arriving after the first request committed: no ticket number is spent.</summary>
    public async Task<StoredResponse?> FindAsync(IdempotencyRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.Scope == request.Scope && k.Key == request.Key, cancellationToken);

        // A stored key with another request falls through to ClaimAsync, which refuses it with a FAILED ticket.
        return stored is not null && stored.RequestHash == request.RequestHash ? Response(stored) : null;
    }

    /// <summary>
    /// Inserts the key in the action's transaction. Null when this request now owns it; the stored response when an
    /// earlier request with this key committed. A concurrent request with the same key blocks on the primary key
    /// until this one commits or rolls back: one effect, whatever the interleaving. The same key with another
    /// request is a conflict.
    /// </summary>
    public static async Task<StoredResponse?> ClaimAsync(
        MarketMakersDbContext db, IdempotencyRequest request, string ticketId, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $@"INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, ticket_id, created_at)
               VALUES ({request.Scope}, {request.Key}, {request.RequestHash}, 0, '', {ticketId}, now())
               ON CONFLICT (scope, key) DO NOTHING",
            cancellationToken);
        if (inserted == 1)
        {
            return null;
        }

        var stored = await db.IdempotencyKeys.AsNoTracking()
            .SingleAsync(k => k.Scope == request.Scope && k.Key == request.Key, cancellationToken);
        return stored.RequestHash == request.RequestHash
            ? Response(stored)
            : throw DomainException.Conflict("This Idempotency-Key was already used for a different request.");
    }

    /// <summary>A refused action does not use up its key: the client may retry once the cause is fixed.</summary>
    public static Task<int> ReleaseAsync(MarketMakersDbContext db, IdempotencyRequest request) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM idempotency_keys WHERE scope = {request.Scope} AND key = {request.Key}", CancellationToken.None);

    /// <summary>The claimed key's response, written in the action's transaction so it commits with the effect.</summary>
    public static Task<int> CompleteAsync(
        MarketMakersDbContext db, IdempotencyRequest request, object? value, string ticketId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE idempotency_keys SET status_code = 200, response_body = {request.RenderResponse(value, ticketId)} WHERE scope = {request.Scope} AND key = {request.Key}",
            cancellationToken);

    private static StoredResponse Response(IdempotencyKey stored) => new(stored.StatusCode, stored.ResponseBody, stored.TicketId);
}
