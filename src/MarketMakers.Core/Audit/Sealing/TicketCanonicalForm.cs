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

    /// <summary>The canonical fields, in their order: one SQL expression each.</summary>
    private static readonly string[] Fields =
    [
        "ticket_id", "timestamp", "user_id", "market_maker_id", "action_type", "entity_type", "entity_id", "status",
        "request_payload::text", "response_data::text", "ip_address", "user_agent", "session_id",
        "before_state::text", "after_state::text", "array_to_string(related_ticket_ids, ' ')", "array_to_string(tags, ' ')",
    ];

    /// <summary>The SELECT list that <see cref="Digest"/> expects, in this order.</summary>
    public static readonly string Columns = string.Join(", ", Fields);

    /// <summary>
    /// <see cref="Digest"/> computed by PostgreSQL, for the sealer: only the 64 hex digits cross the wire, not the
    /// ticket, and hashing in C costs a fraction of building the text in .NET (<c>sealing</c> bench, ADR 0006). The
    /// verifier keeps computing <see cref="Digest"/> in .NET, so the two implementations check each other; a test pins
    /// them to the same bytes for NULLs, newlines, non-ASCII text and arrays.
    /// </summary>
    public static readonly string DigestSql =
        "encode(sha256(convert_to(" +
        string.Join(" || ", Fields.Select((field, i) => $"'{i}=' || coalesce({FieldTextSql(field)}, '') || E'\\n'")) +
        ", 'UTF8')), 'hex')";

    /// <summary>A field as <see cref="Digest"/> writes it: UTC microseconds for the time, newlines escaped elsewhere.</summary>
    private static string FieldTextSql(string field) => field == "timestamp"
        ? """to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        : $"replace(({field})::text, E'\\n', '\\n')";

    public static string Digest(Npgsql.NpgsqlDataReader row, int offset = 0)
    {
        var sb = new StringBuilder(512);
        for (var i = 0; i < Fields.Length; i++)
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
