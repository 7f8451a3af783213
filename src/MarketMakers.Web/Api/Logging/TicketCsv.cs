using System.Text.Json;
using CsvHelper;
using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Logging;

/// <summary>
/// CSV export of a filtered ticket view, streamed record by record so any size exports in constant memory: CsvHelper
/// formats into its own buffer and writes it out asynchronously as it fills (<see cref="CsvExport"/>).
/// </summary>
public static class TicketCsv
{
    private static readonly string[] Header =
    [
        "ticket_id", "timestamp", "action_type", "status", "user_id", "market_maker_id", "entity_type", "entity_id",
        "ip_address", "user_agent", "session_id", "related_ticket_ids", "tags", "request_payload", "response_data",
        "before_state", "after_state",
    ];

    public static PushStreamHttpResult Export(TicketQueries queries, TicketFilter filter) =>
        TypedResults.Stream(async stream =>
        {
            await using var csv = CsvWriter.Create(stream, CsvExport.Options, leaveOpen: true);
            csv.WriteHeader(Header);
            await foreach (var t in queries.StreamAsync(filter))
            {
                Write(csv, t);
                await csv.EndRecordAsync();
            }

            await csv.FlushAsync();
        }, "text/csv; charset=utf-8", $"tickets-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv");

    /// <summary>One ticket's fields; the caller ends the record.</summary>
    public static void Write(CsvWriter csv, TicketView t)
    {
        csv.WriteField(t.TicketId);
        csv.WriteField(t.Timestamp, default);
        csv.WriteField(t.ActionType);
        csv.WriteField(t.Status);
        csv.WriteField(t.UserId, default);
        csv.WriteField(t.MarketMakerId, default);
        csv.WriteField(t.EntityType);
        csv.WriteField(t.EntityId);
        csv.WriteField(t.IpAddress);
        csv.WriteField(t.UserAgent);
        csv.WriteField(t.SessionId);
        csv.WriteField(string.Join(' ', t.RelatedTicketIds));
        csv.WriteField(string.Join(' ', t.Tags));
        csv.WriteField(Json(t.RequestPayload));
        csv.WriteField(Json(t.ResponseData));
        csv.WriteField(Json(t.BeforeState));
        csv.WriteField(Json(t.AfterState));
    }

    private static string? Json(JsonElement? e) => e?.GetRawText();
}
