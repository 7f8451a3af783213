using System.Text.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Api;

/// <summary>The served document, read as an integrator's tool reads it: JSON from <c>/openapi/v1.json</c>.</summary>
public static class OpenApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static async Task<string> TextAsync(AppFactory app)
    {
        using var client = app.CreateApiClient();
        return await client.GetStringAsync(Path);
    }

    public static async Task<JsonElement> FetchAsync(AppFactory app)
    {
        using var document = JsonDocument.Parse(await TextAsync(app));
        return document.RootElement.Clone();
    }

    /// <summary>Every operation as (method, path, operation).</summary>
    public static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from op in path.Value.EnumerateObject()
        where Methods.Contains(op.Name)
        select (op.Name.ToUpperInvariant(), path.Name, op.Value);

    public static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    /// <summary>The repository root (where MarketMakers.sln is), for the tools under tools/ and scripts/.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MarketMakers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MarketMakers.sln not found above " + AppContext.BaseDirectory);
    }
}
