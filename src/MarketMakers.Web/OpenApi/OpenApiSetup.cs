using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MarketMakers.Web.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the interactive reference at <c>/api/docs</c>.</summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/docs";

    public static IServiceCollection AddMarketMakersOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // 3.0 rather than 3.1: every mainstream client generator (NSwag, Kiota, openapi-generator) reads it fully.
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            o.AddSchemaTransformer<ApiSchemaTransformer>();
            o.AddOperationTransformer<ApiOperationTransformer>();
            o.AddDocumentTransformer<ApiDocumentTransformer>();
        });

    public static void MapMarketMakersOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("MarketMakers API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
