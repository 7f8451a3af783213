using Npgsql;

namespace MarketMakers.Tests.Infrastructure;

/// <summary>A stored ticket read back with raw SQL, so tests check what the database really holds.</summary>
public sealed record StoredTicket(
    string TicketId, string ActionType, string Status, Guid? UserId, string? EntityId, string? RequestPayload,
    string? ResponseData, string? BeforeState, string? AfterState, string[] RelatedTicketIds, string? IpAddress, string? UserAgent, string? SessionId);

public static class TicketAssert
{
    public static async Task<StoredTicket> LoadAsync(string postgres, string ticketId) =>
        await FindAsync(postgres, ticketId) ?? throw new Xunit.Sdk.XunitException($"ticket {ticketId} is not stored");

    public static async Task<StoredTicket?> FindAsync(string postgres, string ticketId)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT ticket_id, action_type, status, user_id, entity_id, request_payload::text, response_data::text,
                   before_state::text, after_state::text, related_ticket_ids, ip_address, user_agent, session_id
            FROM ticket_logs WHERE ticket_id = @id
            """, conn);
        cmd.Parameters.AddWithValue("id", ticketId);
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync())
        {
            return null;
        }

        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new StoredTicket(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetGuid(3), S(4), S(5), S(6), S(7), S(8),
            r.GetFieldValue<string[]>(9), S(10), S(11), S(12));
    }

    public static async Task<List<StoredTicket>> ForEntityAsync(string postgres, string entityId)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT ticket_id FROM ticket_logs WHERE entity_id = @id ORDER BY year, number", conn);
        cmd.Parameters.AddWithValue("id", entityId);
        var ids = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                ids.Add(r.GetString(0));
            }
        }

        var result = new List<StoredTicket>();
        foreach (var id in ids)
        {
            result.Add(await LoadAsync(postgres, id));
        }

        return result;
    }
}
