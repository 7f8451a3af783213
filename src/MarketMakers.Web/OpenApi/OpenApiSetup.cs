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
        // Self-contained: no telemetry, AI agent, MCP, hosted developer tools or CDN fonts, so the page works offline and
        // sends nothing about the API anywhere. Bearer is preselected: every signed-in operation uses it.
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("MarketMakers API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(ApiDocumentTransformer.BearerScheme)
            .PreserveSchemaPropertyOrder()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .DisableDefaultFonts())
            .AllowAnonymous();
    }
}
