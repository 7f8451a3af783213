using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketMakers.Core.Values;

// One converter per value type: JSON writes a code as its string and reads it back through its own parser, so
// JSON can never carry an unknown code.

/// <summary>A code type that parses its own text (the parse refuses unknown codes).</summary>
public interface IParsableCode<out T>
    where T : Code
{
    static abstract T Parse(string? value);
}

internal sealed class CodeJson<T> : JsonConverter<T>
    where T : Code, IParsableCode<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => T.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>Prices, quantities and amounts travel as the plain number they wrap (the API's decimal converter then applies).</summary>
internal sealed class PriceJson : JsonConverter<Price>
{
    public override Price Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) => Price.Parse(JsonSerializer.Deserialize<decimal>(ref reader, o));

    public override void Write(Utf8JsonWriter writer, Price value, JsonSerializerOptions o) => JsonSerializer.Serialize(writer, value.Value, o);
}

internal sealed class QuantityJson : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) => Quantity.Parse(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions o) => writer.WriteNumberValue(value.Value);
}
