using System.Text.Json.Nodes;
using MarketMakers.Web.Api;
using Microsoft.OpenApi;

namespace MarketMakers.Web.OpenApi;

/// <summary>
/// The parameters <see cref="ApiOperationTransformer"/> documents on every operation: path ids the handler reads from
/// the route itself, query parameters from the endpoint's metadata (or the common ones, such as paging), and the
/// <c>Idempotency-Key</c> header of the audited commands with its replay header on the 2xx answers.
/// </summary>
internal static class OperationParameters
{
    public static void AddPath(OpenApiOperation operation, string route)
    {
        foreach (var name in RouteParameters(route))
        {
            var existing = operation.Parameters!.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Path);
            var documented = ApiParameters.Path(name, route);
            if (existing is null)
            {
                operation.Parameters!.Add(documented);
                continue;
            }

            existing.Description ??= documented.Description;
            existing.Schema = documented.Schema;
        }
    }

    private static IEnumerable<string> RouteParameters(string route)
    {
        for (var start = route.IndexOf('{', StringComparison.Ordinal); start >= 0; start = route.IndexOf('{', start + 1))
        {
            var end = route.IndexOf('}', start);
            yield return route[(start + 1)..end].Split(':', '=', '?')[0].TrimStart('*');
        }
    }

    public static void DescribeQuery(OpenApiOperation operation, IList<object> metadata)
    {
        var documented = metadata.OfType<QueryParameterMetadata>().ToDictionary(m => m.Name);
        foreach (var meta in documented.Values)
        {
            if (!operation.Parameters!.Any(p => p.Name == meta.Name && p.In == ParameterLocation.Query))
            {
                operation.Parameters!.Add(ApiParameters.Query(meta));
            }
        }

        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            if ((documented.GetValueOrDefault(parameter.Name!) ?? ApiParameters.Common(parameter.Name!)) is not { } meta)
            {
                continue;
            }

            var described = ApiParameters.Query(meta);
            parameter.Description = described.Description;
            parameter.Schema = described.Schema;
            if (meta.Kind == ParameterKind.Repeatable)
            {
                parameter.Explode = true;
                parameter.Style = ParameterStyle.Form;
            }
        }
    }

    public static void AddIdempotencyKey(OpenApiOperation operation)
    {
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = AuditedCommand.KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes a retry safe: the first committed answer for this key is returned again, byte for byte, with `Idempotent-Replayed: true`; the same key with a different request is a 409. 1 to 128 printable ASCII characters; a UUID is a good choice.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128, Pattern = "^[!-~]{1,128}$" },
        });
        foreach (var response in operation.Responses!.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[AuditedCommand.ReplayedHeader] = new OpenApiHeader
            {
                Description = "`true` when this is the stored answer of an earlier request with the same `Idempotency-Key`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
            };
        }
    }
}
