using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MarketMakers.Core.Audit;

/// <summary>
/// Serializes ticket payloads. Secrets are stripped here, at the one place every payload passes through,
/// so that no caller can leak a password or token into the append-only audit trail by mistake.
/// </summary>
public static class AuditJson
{
    private static readonly string[] SecretMarkers = ["password", "token", "secret", "authorization", "cookie"];

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(), new DecimalAsStringConverter() },
    };

    public static string? Serialize(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType(), Options);
        if (node is null)
        {
            return null;
        }

        node = Clean(node);
        return node.ToJsonString(Options);
    }

    /// <summary>PostgreSQL text and jsonb cannot hold U+0000; a ticket records it as U+FFFD instead of failing.</summary>
    public static string? WithoutNul(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    private static void Redact(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (WithoutNul(key) is { } cleanKey && cleanKey != key)
                    {
                        var moved = obj[key];
                        obj.Remove(key);
                        obj[cleanKey] = moved;
                        continue;
                    }

                    if (IsSecret(key))
                    {
                        obj[key] = "***";
                    }
                    else if (obj[key] is { } child && Clean(child) is var clean && !ReferenceEquals(clean, child))
                    {
                        obj[key] = clean;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child && Clean(child) is var clean && !ReferenceEquals(clean, child))
                    {
                        array[i] = clean;
                    }
                }

                break;
        }
    }

    private static JsonNode Clean(JsonNode node)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { } s && s.Contains('\0', StringComparison.Ordinal))
        {
            return JsonValue.Create(WithoutNul(s))!;
        }

        Redact(node);
        return node;
    }

    private static bool IsSecret(string key) =>
        SecretMarkers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));
}
