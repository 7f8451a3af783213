using System.Text.Json.Nodes;
using MarketMakers.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace MarketMakers.Web.OpenApi;

/// <summary>
/// The conventions every operation follows, applied from the endpoint's own metadata rather than repeated on each
/// endpoint: the bearer requirement and its 401/403 (from the authorization policies), the error responses a request
/// can meet (404 with a path id, 422 with any input, 409 for an idempotent command, 429 and 503 on the API), path
/// parameters the handler reads from the route itself, documented query parameters, the <c>Idempotency-Key</c>
/// header and the request body example. An endpoint added later gets all of it without being listed anywhere.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    private const string ErrorSchema = nameof(ErrorBody);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var route = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer needs its document.");
        operation.Parameters ??= [];
        operation.Responses ??= [];

        OperationParameters.AddPath(operation, route);
        OperationParameters.DescribeQuery(operation, metadata);
        var idempotent = metadata.OfType<IdempotentCommandMetadata>().Any();
        if (idempotent)
        {
            OperationParameters.AddIdempotencyKey(operation);
        }

        AddRequestExample(operation, metadata, context.ApplicationServices);
        AddFileResponses(operation, metadata);

        var access = await AccessAsync(metadata, context.ApplicationServices);
        ApplySecurity(operation, document, access);
        if (access.Authenticated)
        {
            Error(operation, document, 401, "No valid bearer token was sent: it is missing, expired or revoked. Sign in with `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`.");
            if (access.Roles is not null)
            {
                Error(operation, document, 403, $"Signed in, but the token's role may not do this (allowed: {string.Join(", ", access.Roles)}). A refused mutation records a FAILED ticket, named in `ticket_id`.");
            }
        }
        else if (operation.Responses.ContainsKey("401"))
        {
            Error(operation, document, 401, "The credentials were refused: a wrong email, password or one-time code, or an inactive or locked account. `ticket_id` is the FAILED sign-in ticket.");
        }

        var hasInput = operation.Parameters.Count > 0 || operation.RequestBody is not null;
        if (route.Contains('{', StringComparison.Ordinal))
        {
            Error(operation, document, 404, "Nothing exists with the id in the path.");
        }

        if (idempotent || operation.Responses.ContainsKey("409"))
        {
            Error(operation, document, 409, "A conflict: a duplicate (for example an email already in use), a request already decided by someone else, or an `Idempotency-Key` reused with a different request.");
        }

        if (operation.Responses.ContainsKey("400"))
        {
            Error(operation, document, 400, "A business rule refused the action, for example an insufficient balance, a halted market or a pre-trade limit. `ticket_id` is the FAILED ticket.");
        }

        if (hasInput || operation.Responses.ContainsKey("422"))
        {
            Error(operation, document, 422, "Invalid input: malformed JSON, a missing or wrongly typed field, a malformed id or an out-of-range query parameter. For a mutation, `ticket_id` is the FAILED ticket.");
        }

        if (route.StartsWith("/api/", StringComparison.Ordinal))
        {
            TooManyRequests(operation, document);
            Error(operation, document, 503, "A backing service is unavailable; nothing was changed. Retry shortly.");
        }

        if (operation.Description is { Length: > 0 } && access.Roles is not null)
        {
            operation.Description += $"\n\nRoles: {string.Join(", ", access.Roles)}.";
        }
    }

    /// <summary>Who may call the endpoint: anonymous, any signed-in user (Roles null), or the roles all its policies allow.</summary>
    private sealed record Access(bool Authenticated, IReadOnlyList<string>? Roles);

    private static async Task<Access> AccessAsync(IList<object> metadata, IServiceProvider services)
    {
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            return new Access(false, null);
        }

        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        IEnumerable<string>? roles = null;
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            var policy = data.Policy is { } name ? await policies.GetPolicyAsync(name) : await policies.GetDefaultPolicyAsync();
            foreach (var requirement in policy?.Requirements.OfType<RolesAuthorizationRequirement>() ?? [])
            {
                roles = roles is null ? requirement.AllowedRoles : roles.Intersect(requirement.AllowedRoles);
            }

            if (data.Roles is { Length: > 0 } listed)
            {
                var named = listed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                roles = roles is null ? named : roles.Intersect(named);
            }
        }

        return new Access(true, roles?.Distinct().ToList());
    }

    private static void ApplySecurity(OpenApiOperation operation, OpenApiDocument document, Access access)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(ApiDocumentTransformer.BearerScheme, ApiDocumentTransformer.Bearer());

        // An anonymous operation says so explicitly ({}), so no client sends, or asks for, a token it does not need.
        operation.Security = access.Authenticated
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, document)] = [] }]
            : [new OpenApiSecurityRequirement()];
    }

    private static void AddRequestExample(OpenApiOperation operation, IList<object> metadata, IServiceProvider services)
    {
        if (operation.RequestBody is not OpenApiRequestBody body)
        {
            return;
        }

        body.Description ??= "A JSON object (`Content-Type: application/json`). Decimal fields may be sent as strings (preferred, exact) or as JSON numbers.";
        if (metadata.OfType<RequestExampleMetadata>().LastOrDefault() is not { } example || body.Content is null)
        {
            return;
        }

        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        foreach (var media in body.Content.Values)
        {
            media.Example = example.ToJson(json);
        }
    }

    private static void AddFileResponses(OpenApiOperation operation, IList<object> metadata)
    {
        var types = metadata.OfType<FileResponseMetadata>().SelectMany(m => m.ContentTypes).ToList();
        if (types.Count == 0)
        {
            return;
        }

        var ok = operation.Responses!.TryGetValue("200", out var existing) && existing is OpenApiResponse r ? r : new OpenApiResponse { Description = "OK" };
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var type in types)
        {
            ok.Content[type] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = type.StartsWith("text/", StringComparison.Ordinal) ? null : "binary" },
            };
        }

        operation.Responses["200"] = ok;
    }

    private static void Error(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var response = operation.Responses!.TryGetValue(status.ToString(), out var existing) && existing is OpenApiResponse r ? r : new OpenApiResponse();
        response.Description = description;
        response.Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchema, document) },
        };
        operation.Responses[status.ToString()] = response;
    }

    private static void TooManyRequests(OpenApiOperation operation, OpenApiDocument document)
    {
        Error(operation, document, 429, "Too many requests: a rate limit (per token, or per address and account at sign-in) was hit. Nothing was done; retry after `Retry-After` seconds.");
        var response = (OpenApiResponse)operation.Responses!["429"];
        response.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
            },
        };
    }
}
