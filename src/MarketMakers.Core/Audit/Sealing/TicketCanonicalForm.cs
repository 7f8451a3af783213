using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MarketMakers.Core.Audit.Sealing;

/// <summary>
/// The exact bytes a ticket is hashed as. Every field, in a fixed order, one per line; JSON payloads as
/// PostgreSQL's jsonb text output, which is already normalized (key order, spacing), so the same stored ticket
/// always yields the same digest.
/// </summary>
public static class TicketCanonicalForm
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The SELECT list that <see cref="Digest"/> expects, in this order.</summary>
    public const string Columns = """
        ticket_id, timestamp, user_id, market_maker_id, action_type, entity_type, entity_id, status,
        request_payload::text, response_data::text, ip_address, user_agent, session_id,
        before_state::text, after_state::text, array_to_string(related_ticket_ids, ' '), array_to_string(tags, ' ')
        """;

    public static string Digest(Npgsql.NpgsqlDataReader row, int offset = 0)
    {
        var sb = new StringBuilder(512);
        for (var i = 0; i < 17; i++)
        {
            var ordinal = offset + i;
            sb.Append(i).Append('=');
            if (!row.IsDBNull(ordinal))
            {
                sb.Append(row.GetValue(ordinal) switch
                {
                    DateTime dt => dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                    DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture)!.Replace("\n", "\\n", StringComparison.Ordinal),
                });
            }

            sb.Append('\n');
        }

        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static string Chain(string previousChainHash, string ticketDigest) =>
        Hex(SHA256.HashData(Encoding.ASCII.GetBytes(previousChainHash + ticketDigest)));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
