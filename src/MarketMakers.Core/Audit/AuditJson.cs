using System.Buffers;
using System.Text;
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

        if (value is JsonNode given)
        {
            return Clean(given).ToJsonString(Options);
        }

        // Serialized once and copied token by token with the secrets and NULs taken out: the same result as building a
        // JsonNode tree and walking it, without the tree. Every ticket of the order path comes through here (ADR 0009).
        var json = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);
        if (json is [(byte)'n', (byte)'u', (byte)'l', (byte)'l'])
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = Options.Encoder, SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                CopyToken(ref reader, writer);
            }
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void CopyToken(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                var name = WithoutNul(reader.GetString())!;
                writer.WritePropertyName(name);
                if (IsSecret(name))
                {
                    reader.Read();
                    reader.Skip();
                    writer.WriteStringValue("***");
                }

                break;
            case JsonTokenType.String:
                writer.WriteStringValue(WithoutNul(reader.GetString()));
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                writer.WriteBooleanValue(reader.GetBoolean());
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
        }
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
