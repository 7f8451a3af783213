using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarketMakers.Web.OpenApi;

/// <summary>
/// Types as they travel: decimals are JSON strings (the API's converter writes them so, SPEC §7), and integers are
/// JSON numbers (the serializer would read "12" too, but never writes it, so generated clients should not expect it).
/// </summary>
internal sealed class ApiSchemaTransformer : IOpenApiSchemaTransformer
{
    public const string DecimalPattern = "^-?[0-9]+(\\.[0-9]+)?$";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null;
        underlying ??= type;
        if (underlying == typeof(System.Text.Json.JsonElement))
        {
            // Free-form JSON (a ticket's payloads): any value, null included, which an empty schema says in every version.
            schema.OneOf = null;
            schema.Type = null;
            schema.Description ??= "Any JSON value (null when absent).";
        }
        else if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Dictionary
            && context.JsonTypeInfo.ElementType is { } element && (Nullable.GetUnderlyingType(element) ?? element) == typeof(decimal))
        {
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, Format = "decimal", Pattern = DecimalPattern };
        }
        else if (underlying == typeof(decimal))
        {
            schema.Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
            schema.Format = "decimal";
            schema.Pattern = DecimalPattern;
        }
        else if (IsInteger(underlying) && schema.Type is { } integer && integer.HasFlag(JsonSchemaType.String))
        {
            schema.Type = integer & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        else if ((underlying == typeof(double) || underlying == typeof(float)) && schema.Type is { } number && number.HasFlag(JsonSchemaType.String))
        {
            schema.Type = number & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);
}
