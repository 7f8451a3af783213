using System.Net;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Api;

/// <summary>
/// What an integrator relies on in <c>/openapi/v1.json</c>, checked on every operation, so an endpoint added without
/// its summary, description or example fails here by name.
/// </summary>
public sealed class OpenApiConventionTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Every_operation_has_a_summary_a_description_an_operation_id_and_a_described_tag()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var tags = document.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);
        var missing = new List<string>();
        foreach (var (method, path, op) in OpenApiDocument.Operations(document))
        {
            foreach (var field in new[] { "summary", "description", "operationId" })
            {
                if (!op.TryGetProperty(field, out var value) || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    missing.Add($"{method} {path}: no {field}");
                }
            }

            var opTags = op.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            if (opTags.Count == 0)
            {
                missing.Add($"{method} {path}: no tag");
            }

            missing.AddRange(opTags.Where(tag => string.IsNullOrWhiteSpace(tags.GetValueOrDefault(tag))).Select(tag => $"{method} {path}: tag '{tag}' has no description (add it to ApiTags)"));
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.True(OpenApiDocument.Operations(document).Count() >= 50);
    }

    /// <summary>Handlers return typed results, so each success answer documents its body without a hand-written Produces.</summary>
    [Fact]
    public async Task Every_success_response_documents_a_body_with_a_schema()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var missing = new List<string>();
        foreach (var (method, path, op) in OpenApiDocument.Operations(document))
        {
            var success = op.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (success.Count == 0)
            {
                missing.Add($"{method} {path}: no 2xx response");
            }

            foreach (var response in success)
            {
                if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                {
                    missing.Add($"{method} {path}: {response.Name} without a body");
                    continue;
                }

                missing.AddRange(content.EnumerateObject().Where(m => !m.Value.TryGetProperty("schema", out _)).Select(m => $"{method} {path}: {response.Name} {m.Name} without a schema"));
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task Signed_in_operations_require_the_bearer_scheme_and_document_401_403_and_429_with_the_error_body()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var anonymous = new List<string>();
        foreach (var (method, path, op) in OpenApiDocument.Operations(document))
        {
            var requirements = op.GetProperty("security").EnumerateArray().ToList();
            var bearer = requirements.Any(r => r.TryGetProperty("Bearer", out _));
            if (!bearer)
            {
                anonymous.Add($"{method} {path}");
                Assert.Equal(JsonValueKind.Object, Assert.Single(requirements).ValueKind);
                continue;
            }

            var responses = op.GetProperty("responses");
            foreach (var status in new[] { "401", "429" })
            {
                AssertErrorBody(responses, status, $"{method} {path}");
            }

            // Every signed-in operation is role-bound, except signing out, which any signed-in user may.
            if (path != "/api/v1/auth/logout")
            {
                AssertErrorBody(responses, "403", $"{method} {path}");
            }

            Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _), $"{method} {path}: 429 without Retry-After");
        }

        Assert.Equal(
            new[] { "GET /api/v1/cash-market/candles", "GET /api/v1/cash-market/orderbook/{certificate_type}", "GET /api/v1/cash-market/tape", "POST /api/v1/auth/login", "POST /api/v1/auth/password" },
            anonymous.Order());
    }

    [Fact]
    public async Task Errors_are_documented_where_they_can_happen()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var gaps = new List<string>();
        foreach (var (method, path, op) in OpenApiDocument.Operations(document))
        {
            var responses = op.GetProperty("responses");
            var has = (string status) => responses.TryGetProperty(status, out _);
            var hasInput = op.TryGetProperty("requestBody", out _) || (op.TryGetProperty("parameters", out var ps) && ps.GetArrayLength() > 0);
            if (path.Contains('{') && !has("404"))
            {
                gaps.Add($"{method} {path}: a path id but no 404");
            }

            if (hasInput && !has("422"))
            {
                gaps.Add($"{method} {path}: input but no 422");
            }

            var idempotent = op.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key");
            if (method != "GET" && path != "/api/v1/auth/login" && path != "/api/v1/auth/password" && path != "/api/v1/auth/logout" && !(idempotent && has("409")))
            {
                gaps.Add($"{method} {path}: a mutation without Idempotency-Key and 409");
            }

            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
                if (schema != "#/components/schemas/ErrorBody")
                {
                    gaps.Add($"{method} {path}: {response.Name} is not the error body");
                }
            }
        }

        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
        var error = OpenApiDocument.Schema(document, "ErrorBody").GetProperty("properties");
        Assert.Equal("string", error.GetProperty("detail").GetProperty("type").GetString());
        Assert.True(error.GetProperty("ticket_id").GetProperty("nullable").GetBoolean());
    }

    [Fact]
    public async Task Every_request_body_has_an_example_with_its_required_fields()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var gaps = new List<string>();
        foreach (var (method, path, op) in OpenApiDocument.Operations(document))
        {
            if (!op.TryGetProperty("requestBody", out var body))
            {
                continue;
            }

            var media = body.GetProperty("content").GetProperty("application/json");
            if (!media.TryGetProperty("example", out var example))
            {
                gaps.Add($"{method} {path}: no example");
                continue;
            }

            var name = media.GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1];
            var schema = OpenApiDocument.Schema(document, name);
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!) : [];
            gaps.AddRange(required.Where(field => !example.TryGetProperty(field, out _)).Select(field => $"{method} {path}: example lacks required '{field}'"));
        }

        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
    }

    [Fact]
    public async Task Decimals_are_strings_and_quantities_integers_in_requests_and_responses()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        foreach (var (schema, property) in new[]
        {
            ("BalanceView", "available"), ("OrderView", "price"), ("TradeView", "price"), ("PlaceClientOrderBody", "price"),
            ("PlaceMarketMakerOrderBody", "price"), ("LedgerTransactionBody", "amount"), ("ClientDepositBody", "amount"),
        })
        {
            var p = OpenApiDocument.Schema(document, schema).GetProperty("properties").GetProperty(property);
            Assert.Equal(("string", "decimal"), (p.GetProperty("type").GetString(), p.GetProperty("format").GetString()));
        }

        Assert.Equal("integer", OpenApiDocument.Schema(document, "OrderView").GetProperty("properties").GetProperty("quantity").GetProperty("type").GetString());
        Assert.Equal("integer", OpenApiDocument.Schema(document, "PlaceClientOrderBody").GetProperty("properties").GetProperty("quantity").GetProperty("type").GetString());
        var example = document.GetProperty("paths").GetProperty("/api/v1/cash-market/orders").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(("71.00", 200), (example.GetProperty("price").GetString(), example.GetProperty("quantity").GetInt32()));
        var initial = OpenApiDocument.Schema(document, "CreateMarketMakerBody");
        Assert.DoesNotContain("description", initial.GetProperty("required").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("decimal", initial.GetProperty("properties").GetProperty("initial_balances").GetProperty("additionalProperties").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Paths_document_their_parameters_and_the_logging_filters()
    {
        var document = await OpenApiDocument.FetchAsync(app);

        var cancel = document.GetProperty("paths").GetProperty("/api/v1/admin/market-orders/{order_id}").GetProperty("delete");
        var orderId = cancel.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "order_id");
        Assert.Equal(("path", true, "uuid"), (orderId.GetProperty("in").GetString(), orderId.GetProperty("required").GetBoolean(), orderId.GetProperty("schema").GetProperty("format").GetString()));
        var search = document.GetProperty("paths").GetProperty("/api/v1/admin/logging/tickets").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        foreach (var name in new[] { "date_from", "date_to", "action_type", "user_id", "market_maker_id", "status", "entity_type", "entity_id", "search", "tags", "limit", "offset", "as_of" })
        {
            Assert.True(search.ContainsKey(name), name);
            Assert.False(string.IsNullOrWhiteSpace(search[name].GetProperty("description").GetString()), name);
        }

        Assert.Equal("array", search["action_type"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("integer", search["limit"].GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_anonymous_api_call_gets_401_with_the_error_body_and_a_wrong_role_403_with_it()
    {
        using var anonymous = app.CreateApiClient();
        using var unauthorized = await anonymous.GetAsync("/api/v1/admin/market-makers");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        using var body = JsonDocument.Parse(await unauthorized.Content.ReadAsStringAsync());
        Assert.Contains("Bearer", body.RootElement.GetProperty("detail").GetString());

        using var client = await app.CreateClientForRoleAsync(Core.Identity.Roles.Funded);
        using var forbidden = await client.GetAsync("/api/v1/admin/market-makers");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var refused = JsonDocument.Parse(await forbidden.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(refused.RootElement.GetProperty("detail").GetString()));
    }

    private static void AssertErrorBody(JsonElement responses, string status, string operation)
    {
        Assert.True(responses.TryGetProperty(status, out var response), $"{operation}: no {status}");
        Assert.Equal("#/components/schemas/ErrorBody", response.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }
}
