using System.Net;
using System.Text;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Security;

/// <summary>
/// Found by fuzzing: a wrong Content-Type was answered by routing with a bare 415 (no error body, no ticket).
/// Command endpoints now refuse it themselves with a 422 and a FAILED ticket, and still document a JSON body.
/// </summary>
public sealed class ContentTypeTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_valid_json_body_under_another_content_type_is_refused_with_a_ticket_and_books_nothing(string contentType)
    {
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, tag: "ctype");
        var body = """{"certificate_type":"EUR","transaction_type":"DEPOSIT","amount":"10.00"}""";

        using var response = await admin.PostAsync($"{MmApi.Base}/{mm}/transactions", new StringContent(body, Encoding.UTF8, contentType));

        var ticket = await MmApi.AssertRejectedAsync(app.Postgres, response, HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");
        Assert.Equal("FAILED", ticket.Status);
        Assert.Equal(0, (await MmApi.StateAsync(app.Postgres, mm)).Rows);
    }

    [Theory]
    [InlineData("/api/v1/admin/market-makers/{id}/transactions", "post")]
    [InlineData("/api/v1/admin/market-makers/{id}", "put")]
    [InlineData("/api/v1/cash-market/orders", "post")]
    [InlineData("/api/v1/admin/market-orders", "post")]
    public async Task Command_bodies_are_still_documented_as_json_in_openapi(string path, string method)
    {
        using var client = app.CreateApiClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), operation.ToString());
    }
}
