using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketMakers.Core.Audit;

/// <summary>
/// Money and quantities travel as strings ("70.00") so no client parses them into binary floating point;
/// numbers are accepted too.
/// </summary>
public sealed class DecimalAsStringConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDecimal(),
            JsonTokenType.String when decimal.TryParse(reader.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new JsonException("Expected a decimal number or a numeric string."),
        };

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
