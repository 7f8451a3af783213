using System.Globalization;
using MarketMakers.Core;
using MarketMakers.Core.Audit;

namespace MarketMakers.Web.Api.Logging;

/// <summary>Reads the logging filters from the query string, refusing malformed values with a 422.</summary>
public static class TicketFilterBinder
{
    public static TicketFilter Parse(IQueryCollection q) => new()
    {
        DateFrom = Date(q, "date_from"),
        DateTo = Date(q, "date_to"),
        ActionTypes = q["action_type"].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList(),
        UserId = Id(q, "user_id"),
        MarketMakerId = Id(q, "market_maker_id"),
        Status = Status(q["status"].ToString()),
        EntityType = Text(q, "entity_type"),
        EntityId = Text(q, "entity_id"),
        Search = Text(q, "search"),
        Tags = q["tags"].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList(),
        AsOf = AsOf(q),
    };

    /// <summary>The paging cursor: a ticket id; the list holds only tickets at or below it.</summary>
    public static string? AsOf(IQueryCollection q)
    {
        var raw = q["as_of"].ToString().Trim();
        if (raw.Length == 0)
        {
            return null;
        }

        return TicketNumber.TryParse(raw, out _, out _) ? raw : throw DomainException.Validation("as_of must be a ticket id (TKT-YYYY-NNNNNN).");
    }

    public static PageRequest Page(IQueryCollection q) => PageRequest.Of(Int(q, "limit"), Int(q, "offset"));

    public static DateTimeOffset? Date(IQueryCollection q, string name)
    {
        var raw = q[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw DomainException.Validation($"{name} must be an ISO-8601 date or date-time.");
    }

    private static Guid? Id(IQueryCollection q, string name)
    {
        var raw = q[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return Guid.TryParse(raw, out var id) ? id : throw DomainException.Validation($"{name} must be a UUID.");
    }

    private static int? Int(IQueryCollection q, string name)
    {
        var raw = q[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw DomainException.Validation($"{name} must be a non-negative whole number.");
    }

    private static string? Status(string raw) => raw.Trim().ToUpperInvariant() switch
    {
        "" => null,
        TicketStatus.Success or TicketStatus.Failed => raw.Trim().ToUpperInvariant(),
        _ => throw DomainException.Validation("status must be SUCCESS or FAILED."),
    };

    private static string? Text(IQueryCollection q, string name)
    {
        var raw = q[name].ToString().Trim();
        return raw.Length switch
        {
            0 => null,
            > 200 => throw DomainException.Validation($"{name} is too long."),
            _ => raw,
        };
    }
}
