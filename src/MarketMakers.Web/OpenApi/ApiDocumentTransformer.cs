using MarketMakers.Web.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarketMakers.Web.OpenApi;

/// <summary>The document as a whole: what the API is, the bearer scheme, the servers and every used tag with its description.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";

    private const string Overview = """
        The MarketMakers back office and cash market, as JSON over HTTPS.

        - **Authentication.** `POST /api/v1/auth/login` returns a bearer token; send `Authorization: Bearer <access_token>`.
          Each operation lists the roles it allows; anonymous calls get 401, a wrong role 403.
        - **JSON.** Field names are snake_case. Decimals (prices, amounts, balances) are written as **strings** such as
          `"70.00"` so no precision is lost, and accepted as strings or numbers. Quantities are whole certificates.
        - **Errors.** Every refusal answers `{"detail": "...", "ticket_id": "TKT-..."}`: 400 a business rule, 401 no
          valid token, 403 a wrong role, 404 not found, 409 a conflict or duplicate, 422 invalid input, 429 a rate limit
          (with `Retry-After`), 503 a backing service down. `ticket_id` names the FAILED audit ticket when one was written.
        - **Audit.** Every state change returns the `ticket_id` of the SUCCESS ticket committed with it.
        - **Retries.** Mutations accept an `Idempotency-Key` header; a retry with the same key gets the first answer again.
        - **Paging.** Lists take `limit` (default 100, max 1000) and `offset`, newest first, and return the `total`.
        """;

    public static OpenApiSecurityScheme Bearer() => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = "opaque",
        Description = "The `access_token` of `POST /api/v1/auth/login`, valid for `expires_in` seconds (one hour) or until `POST /api/v1/auth/logout`.",
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MarketMakers API",
            Version = "v1",
            Description = Overview,
            Contact = new OpenApiContact { Name = "MarketMakers operations" },
        };

        // Servers come from the request that fetched the document; Redocly (and most generators) want no trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(BearerScheme, Bearer());
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(nameof(ErrorBody)))
        {
            document.Components.Schemas[nameof(ErrorBody)] = await context.GetOrCreateSchemaAsync(typeof(ErrorBody), null, cancellationToken);
        }

        if (document.Components.Schemas[nameof(ErrorBody)] is OpenApiSchema error)
        {
            error.Description = "The body of every refusal. `ticket_id` is the FAILED audit ticket, or null when none was written (an anonymous call, a rate limit).";
        }

        FreeFormJson(document.Components.Schemas);

        var used = document.Paths.Values.SelectMany(p => p.Operations is { } operations ? operations.Values : Enumerable.Empty<OpenApiOperation>()).SelectMany(o => o.Tags ?? Enumerable.Empty<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(
            used.OrderBy(Order).ThenBy(n => n, StringComparer.Ordinal)
                .Select(name => new OpenApiTag { Name = name, Description = ApiTags.Descriptions.GetValueOrDefault(name) }));
    }

    /// <summary>
    /// A nullable <see cref="System.Text.Json.JsonElement"/> (a ticket's payloads) comes out as <c>oneOf: [null, JsonElement]</c>,
    /// which OpenAPI 3.0 cannot say (nullable without a type). Any JSON value, null included, is the empty schema.
    /// </summary>
    private static void FreeFormJson(IDictionary<string, IOpenApiSchema> schemas)
    {
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            foreach (var (name, property) in schema.Properties?.ToList() ?? [])
            {
                if (property.OneOf?.OfType<OpenApiSchemaReference>().Any(r => r.Reference.Id == nameof(System.Text.Json.JsonElement)) == true)
                {
                    schema.Properties![name] = new OpenApiSchema { Description = "Any JSON value, or null." };
                }
            }
        }

        schemas.Remove(nameof(System.Text.Json.JsonElement));
    }

    /// <summary>Tags in the order an integrator meets them: sign in, trade, then the back office.</summary>
    private static int Order(string tag)
    {
        var at = ApiTags.Descriptions.Keys.ToList().IndexOf(tag);
        return at < 0 ? int.MaxValue : at;
    }
}
