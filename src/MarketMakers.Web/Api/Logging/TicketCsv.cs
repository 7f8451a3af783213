using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketMakers.Core.Audit;

namespace MarketMakers.Web.Api.Logging;

/// <summary>CSV export of a filtered ticket view, streamed row by row so any size exports in constant memory.</summary>
public static class TicketCsv
{
    private static readonly string[] Header =
    [
        "ticket_id", "timestamp", "action_type", "status", "user_id", "market_maker_id", "entity_type", "entity_id",
        "ip_address", "user_agent", "session_id", "related_ticket_ids", "tags", "request_payload", "response_data",
        "before_state", "after_state",
    ];

    public static IResult Export(TicketQueries queries, TicketFilter filter) =>
        Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
            await writer.WriteLineAsync(string.Join(',', Header));
            await foreach (var t in queries.StreamAsync(filter))
            {
                await writer.WriteLineAsync(Row(t));
            }
        }, "text/csv; charset=utf-8", $"tickets-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv");

    public static string Row(TicketView t) => string.Join(',', new[]
    {
        t.TicketId, t.Timestamp.ToString("O", CultureInfo.InvariantCulture), t.ActionType, t.Status, t.UserId?.ToString(),
        t.MarketMakerId?.ToString(), t.EntityType, t.EntityId, t.IpAddress, t.UserAgent, t.SessionId,
        string.Join(' ', t.RelatedTicketIds), string.Join(' ', t.Tags), Json(t.RequestPayload), Json(t.ResponseData),
        Json(t.BeforeState), Json(t.AfterState),
    }.Select(Escape));

    private static string? Json(JsonElement? e) => e?.GetRawText();

    // RFC 4180 quoting, plus a leading quote mark for values a spreadsheet would run as a formula.
    private static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
