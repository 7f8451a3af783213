using MarketMakers.Core.Identity;
using Npgsql;

namespace MarketMakers.Core.Orders;

/// <summary>
/// Who a client order trades for: the user's client entity, and only while the user is active and holds FUNDED (a
/// deactivation takes every instrument lock, so no placement read under one can miss it). The order batch
/// reads it for all its traders in its first round trip (under the instrument lock); a cancel reads it for one user.
/// </summary>
public sealed class TraderLookup(NpgsqlDataSource dataSource)
{
    /// <summary>$1 user ids, $2 the FUNDED role's name.</summary>
    internal const string Sql = """
        SELECT u.id, u.entity_id,
               u.is_active AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = $2)
        FROM users u WHERE u.id = ANY($1)
        """;

    internal const string FundedRole = Roles.Funded;

    /// <summary>The ledger holder a user trades for; only FUNDED users with a client entity may trade.</summary>
    internal static Guid TradingEntity(Guid userId, (Guid? EntityId, bool Funded)? trader)
    {
        if (trader is not { } found)
        {
            throw DomainException.NotFound($"User {userId} not found.");
        }

        if (!found.Funded)
        {
            throw DomainException.Rule("Only FUNDED users can trade in the cash market.");
        }

        return found.EntityId ?? throw DomainException.Rule("Your account has no client entity to trade for.");
    }

    public async Task<Guid> TradingEntityAsync(UserId userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { userId.Value } });
        command.Parameters.Add(new NpgsqlParameter { Value = FundedRole });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (Guid? EntityId, bool Funded)? trader = await reader.ReadAsync(cancellationToken)
            ? (reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetBoolean(2))
            : null;
        return TradingEntity(userId.Value, trader);
    }
}
