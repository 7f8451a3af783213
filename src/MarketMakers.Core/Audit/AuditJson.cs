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

        Redact(node);
        return node.ToJsonString(Options);
    }

    private static void Redact(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecret(key))
                    {
                        obj[key] = "***";
                    }
                    else if (obj[key] is { } child)
                    {
                        Redact(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Redact(child);
                    }
                }

                break;
        }
    }

    private static bool IsSecret(string key) =>
        SecretMarkers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));
}
