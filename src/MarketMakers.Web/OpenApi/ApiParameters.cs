using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace MarketMakers.Web.OpenApi;

/// <summary>
/// Parameters every endpoint shares the meaning of (paths' ids, paging, instruments), described once. Endpoint-specific
/// ones come from <see cref="QueryParameterMetadata"/> on the endpoint.
/// </summary>
internal static class ApiParameters
{
    private static readonly Dictionary<string, string> IdOwners = new(StringComparer.Ordinal)
    {
        ["market-makers"] = "The Market Maker's id (a UUID).",
        ["users"] = "The client user's id (a UUID).",
        ["staff"] = "The staff member's user id (a UUID).",
        ["approvals"] = "The movement request's id (a UUID).",
        ["orders"] = "The order's id (a UUID).",
        ["market-orders"] = "The order's id (a UUID).",
    };

    private static readonly Dictionary<string, QueryParameterMetadata> CommonQuery = new(StringComparer.Ordinal)
    {
        ["limit"] = new("limit", "Page size: 1 to 1000, default 100. Lists are newest first.", ParameterKind.Integer),
        ["offset"] = new("offset", "How many items of the list to skip, default 0.", ParameterKind.Integer),
        ["depth"] = new("depth", "How many price levels per side, a positive integer (default 20).", ParameterKind.Integer),
        ["certificate_type"] = new("certificate_type", "The instrument: CEA or EUA.", ParameterKind.Certificate),
        ["market_maker_id"] = new("market_maker_id", "Only this Market Maker's items (a UUID).", ParameterKind.Uuid),
        ["date_from"] = new("date_from", "Inclusive lower bound, an ISO 8601 date or instant (UTC when no offset is given).", ParameterKind.DateTime),
        ["date_to"] = new("date_to", "Inclusive upper bound, an ISO 8601 date or instant (UTC when no offset is given).", ParameterKind.DateTime),
        ["search"] = new("search", "Case-insensitive text to look for in names and emails."),
    };

    public static OpenApiParameter Path(string name, string route)
    {
        var (description, kind) = name switch
        {
            "certificate_type" => ("The instrument: CEA or EUA.", ParameterKind.Certificate),
            "ticketId" or "ticket_id" => ("A ticket id, TKT-YYYY-NNNNNN.", ParameterKind.TicketId),
            "order_id" => ("The order's id (a UUID).", ParameterKind.Uuid),
            _ when name == "id" || name.EndsWith("_id", StringComparison.Ordinal) => (IdOwner(route, name), ParameterKind.Uuid),
            _ => ($"The {name.Replace('_', ' ')}.", ParameterKind.Text),
        };
        return new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Description = description, Schema = Schema(kind) };
    }

    public static QueryParameterMetadata? Common(string name) => CommonQuery.GetValueOrDefault(name);

    /// <summary>Repeatable parameters (<c>?tags=a&amp;tags=b</c>) are form-style and exploded, OpenAPI's default for query.</summary>
    public static OpenApiParameter Query(QueryParameterMetadata meta) => new()
    {
        Name = meta.Name,
        In = ParameterLocation.Query,
        Required = false,
        Description = meta.Description,
        Schema = Schema(meta.Kind, meta.Values),
    };

    public static OpenApiSchema Schema(ParameterKind kind, IReadOnlyList<string>? values = null) => kind switch
    {
        ParameterKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
        ParameterKind.Uuid => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        ParameterKind.DateTime => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        ParameterKind.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ParameterKind.Certificate => Enum("CEA", "EUA"),
        ParameterKind.Asset => Enum("CEA", "EUA", "EUR"),
        ParameterKind.TicketId => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^TKT-[0-9]{4}-[0-9]{6,}$" },
        ParameterKind.Repeatable => new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        _ when values is { Count: > 0 } => Enum([.. values]),
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiSchema Enum(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };

    /// <summary>The owner of an id from the route segment before it: /market-makers/{id} is a Market Maker's.</summary>
    private static string IdOwner(string route, string name)
    {
        var segments = route.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "{" + name + "}");
        return at > 0 && IdOwners.TryGetValue(segments[at - 1], out var description) ? description : $"The {name.Replace('_', ' ')} (a UUID).";
    }
}
