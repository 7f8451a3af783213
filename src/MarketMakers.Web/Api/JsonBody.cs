using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketMakers.Core;
using Microsoft.AspNetCore.Http.Metadata;

namespace MarketMakers.Web.Api;

/// <summary>
/// Reads request bodies by hand so that malformed JSON or a wrongly typed field becomes a 422 with a FAILED
/// ticket (thrown as <see cref="DomainException"/>), never a framework 400 or a 500.
/// </summary>
public sealed class JsonBody
{
    private const int MaxBodyChars = 64 * 1024;

    private JsonBody(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxBodyChars + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read);
    }

    /// <summary>Parses a JSON object sent as JSON; anything else is invalid input.</summary>
    public static JsonBody Parse(string text, HttpRequest request)
    {
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            throw DomainException.Validation("The request body must be JSON (Content-Type: application/json).");
        }

        return Parse(text);
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses a JSON object; anything else is invalid input.</summary>
    public static JsonBody Parse(string text)
    {
        if (text.Length > MaxBodyChars)
        {
            throw DomainException.Validation("The request body is too large.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw DomainException.Validation("A JSON object body is required.");
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new JsonBody(doc.RootElement.Clone())
                : throw DomainException.Validation("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw DomainException.Validation("The request body is not valid JSON.");
        }
    }

    /// <summary>What a ticket records of a body: the JSON itself when it parses (secrets are redacted later), else a prefix.</summary>
    public static object? ForAudit(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return new { unparsed_body = text.Length > 500 ? text[..500] : text };
        }
    }

    /// <summary>Best effort, for choosing a ticket's action type before the body is known to be valid.</summary>
    public static string? PeekString(string text, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public bool Has(string name) => Root.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null;

    public string? String(string name) =>
        Field(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } p when p.GetString()!.Contains('\0', StringComparison.Ordinal) =>
                throw DomainException.Validation($"'{name}' must not contain NUL characters."),
            { ValueKind: JsonValueKind.String } p => p.GetString(),
            _ => throw DomainException.Validation($"'{name}' must be a string."),
        };

    public bool? Bool(string name) =>
        Field(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw DomainException.Validation($"'{name}' must be true or false."),
        };

    public decimal? Decimal(string name) => Field(name) is { } p ? ToDecimal(p, name) : null;

    /// <summary>An object of asset → amount, e.g. <c>{"CEA": "1000"}</c>.</summary>
    public IReadOnlyDictionary<string, decimal>? DecimalMap(string name)
    {
        if (Field(name) is not { } p)
        {
            return null;
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            throw DomainException.Validation($"'{name}' must be an object of asset to amount.");
        }

        var result = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in p.EnumerateObject())
        {
            if (!result.TryAdd(entry.Name, ToDecimal(entry.Value, $"{name}.{entry.Name}")))
            {
                throw DomainException.Validation($"'{name}' names {entry.Name} twice.");
            }
        }

        return result;
    }

    /// <summary>An array of objects, e.g. a ladder's levels; each item is read as a body of its own, its errors named <c>name[i]</c>.</summary>
    public IReadOnlyList<T>? Objects<T>(string name, Func<JsonBody, T> read)
    {
        if (Field(name) is not { } p)
        {
            return null;
        }

        if (p.ValueKind != JsonValueKind.Array)
        {
            throw DomainException.Validation($"'{name}' must be an array of objects.");
        }

        return [.. p.EnumerateArray().Select((item, i) =>
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw DomainException.Validation($"'{name}[{i}]' must be an object.");
            }

            try
            {
                return read(new JsonBody(item));
            }
            catch (DomainException ex)
            {
                throw new DomainException(ex.Kind, $"{name}[{i}]: {ex.Message}", ex.Reason, ex);
            }
        })];
    }

    private JsonElement? Field(string name) =>
        Root.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p : null;

    private static decimal ToDecimal(JsonElement p, string name) => p.ValueKind switch
    {
        JsonValueKind.Number when p.TryGetDecimal(out var d) => d,
        JsonValueKind.String when decimal.TryParse(p.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw DomainException.Validation($"'{name}' must be a decimal number or a numeric string."),
    };
}

/// <summary>
/// Documents a JSON request body for OpenAPI without routing's content-type matching, which would answer a wrong
/// Content-Type with a bare 415 before the endpoint could record a FAILED ticket; <see cref="JsonBody.Parse(string, HttpRequest)"/>
/// refuses it with a 422 and a ticket instead.
/// </summary>
public sealed class JsonRequestBodyMetadata(Type requestType) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = [];

    public Type? RequestType { get; } = requestType;

    public bool IsOptional => false;
}

public static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonRequestBodyMetadata(typeof(T)));

    /// <summary>As <see cref="AcceptsJson{T}(RouteHandlerBuilder)"/>, with the example the OpenAPI document shows (typed, so it cannot drift from the body).</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder, T example)
        where T : notnull =>
        builder.WithMetadata(new JsonRequestBodyMetadata(typeof(T))).WithMetadata(new OpenApi.RequestExampleMetadata(example));
}

/// <summary>Query-string helpers for read endpoints (reads are not actions, so they have no ticket).</summary>
public static class Query
{
    public static PageRequest Page(string? limit, string? offset) => PageRequest.Of(Int(limit, "limit"), Int(offset, "offset"));

    public static CertificateType? Certificate(string? value) => string.IsNullOrWhiteSpace(value) ? null : CertificateType.Parse(value);

    public static OrderStatus? Status(string? value) => string.IsNullOrWhiteSpace(value) ? null : OrderStatus.Parse(value);

    public static int Depth(string? value, int fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, out var d) && d > 0 ? d
        : throw DomainException.Validation("'depth' must be a positive integer.");

    private static int? Int(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? null
        : int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
        : throw DomainException.Validation($"'{name}' must be an integer.");
}
