using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketMakers.Web.OpenApi;

/// <summary>How a documented query or path parameter is typed in the OpenAPI document.</summary>
public enum ParameterKind
{
    Text,
    Integer,
    Uuid,
    DateTime,
    Boolean,
    Certificate,
    Asset,
    TicketId,
    Repeatable,
}

/// <summary>
/// A query parameter the endpoint reads (through its signature or from <c>HttpRequest.Query</c>), with its meaning.
/// The operation transformer adds it when the endpoint's signature does not show it, and describes it either way.
/// </summary>
public sealed record QueryParameterMetadata(string Name, string Description, ParameterKind Kind = ParameterKind.Text, IReadOnlyList<string>? Values = null);

/// <summary>The example request body an endpoint documents: a typed instance of its body record.</summary>
public sealed record RequestExampleMetadata(object Example)
{
    /// <summary>The example as the API's JSON, optional fields left out rather than shown as null.</summary>
    public JsonNode? ToJson(JsonSerializerOptions options) =>
        JsonSerializer.SerializeToNode(Example, Example.GetType(), new JsonSerializerOptions(options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
}

/// <summary>Files a 200 may also be (a CSV or XLSX rendering of the JSON), by content type.</summary>
public sealed record FileResponseMetadata(IReadOnlyList<string> ContentTypes);

public static class ApiMetadataExtensions
{
    /// <summary>Documents that the 200 answer may also be a file of these content types (text ones as strings, others binary).</summary>
    public static RouteHandlerBuilder ProducesFiles(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithMetadata(new FileResponseMetadata(contentTypes));

    /// <summary>Documents a query parameter: added to the operation if the signature does not bind it, described either way.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, string name, string description, ParameterKind kind = ParameterKind.Text) =>
        builder.WithMetadata(new QueryParameterMetadata(name, description, kind));

    /// <summary>Documents a query parameter that takes one of <paramref name="values"/>.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, string name, string description, params string[] values) =>
        builder.WithMetadata(new QueryParameterMetadata(name, description, ParameterKind.Text, values));

    /// <summary>Summary and description of the operation in one call (both are required of every operation).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, string summary, string description) =>
        builder.WithSummary(summary).WithDescription(description);
}
