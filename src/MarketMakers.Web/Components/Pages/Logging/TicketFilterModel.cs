using System.Globalization;
using MarketMakers.Core.Audit;
using MarketMakers.Web.Api.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MarketMakers.Web.Components.Pages.Logging;

/// <summary>
/// What the filter form edits: the raw text of every filter. <see cref="ToFilter"/> goes through the same
/// query binder as the API, so the page refuses exactly what the API refuses, with the same messages.
/// </summary>
public sealed class TicketFilterModel
{
    public const string DateInputFormat = "yyyy-MM-ddTHH:mm";

    public string? DateFrom { get; set; }

    public string? DateTo { get; set; }

    public IReadOnlyCollection<string> ActionTypes { get; set; } = [];

    public string? UserId { get; set; }

    public string? MarketMakerId { get; set; }

    public string? Status { get; set; }

    public string? EntityType { get; set; }

    public string? EntityId { get; set; }

    public string? Search { get; set; }

    /// <summary>Comma- or space-separated; a ticket must carry every one.</summary>
    public string? Tags { get; set; }

    public static TicketFilterModel From(TicketFilter f) => new()
    {
        DateFrom = f.DateFrom?.UtcDateTime.ToString(DateInputFormat, CultureInfo.InvariantCulture),
        DateTo = f.DateTo?.UtcDateTime.ToString(DateInputFormat, CultureInfo.InvariantCulture),
        ActionTypes = f.ActionTypes.ToList(),
        UserId = f.UserId?.ToString(),
        MarketMakerId = f.MarketMakerId?.ToString(),
        Status = f.Status,
        EntityType = f.EntityType,
        EntityId = f.EntityId,
        Search = f.Search,
        Tags = string.Join(", ", f.Tags),
    };

    /// <summary>The filter, or throws <see cref="Core.DomainException"/> naming the malformed field.</summary>
    public TicketFilter ToFilter() => TicketFilterQuery.Parse(new QueryCollection(new Dictionary<string, StringValues>
    {
        ["date_from"] = DateFrom,
        ["date_to"] = DateTo,
        ["action_type"] = ActionTypes.ToArray(),
        ["user_id"] = UserId,
        ["market_maker_id"] = MarketMakerId,
        ["status"] = Status,
        ["entity_type"] = EntityType,
        ["entity_id"] = EntityId,
        ["search"] = Search,
        ["tags"] = (Tags ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    }));
}
