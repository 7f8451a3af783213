using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Identity;

public sealed class AuthApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    // Any admin endpoint will do; a ticket lookup exists from the foundation on.
    private const string AdminEndpoint = "/api/v1/admin/logging/tickets/TKT-2026-999999999";

    [Fact]
    public async Task Admin_signs_in_through_the_api_and_reaches_admin_endpoints()
    {
        using var client = await app.CreateAdminClientAsync();
        var seeded = await TestDatabase.ScalarAsync<string>(app.Postgres, "SELECT ticket_id FROM ticket_logs ORDER BY year, number LIMIT 1");

        var response = await client.GetAsync($"/api/v1/admin/logging/tickets/{seeded}");
        var missing = await client.GetAsync(AdminEndpoint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(seeded, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Token_response_has_the_spec_shape()
    {
        using var client = app.CreateApiClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = TestDatabase.AdminEmail, password = TestDatabase.AdminPassword });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task Market_maker_with_the_right_password_is_refused_and_audited()
    {
        var mm = await app.CreateUserAsync(Roles.MarketMaker);
        using var client = app.CreateApiClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = mm.Email, password = UserFactory.DefaultPassword });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid email or password.", body.GetProperty("detail").GetString());
        var ticketId = body.GetProperty("ticket_id").GetString()!;
        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal(("LOGIN_FAILED", "FAILED"), (ticket.ActionType, ticket.Status));
        Assert.Contains("MARKET_MAKER", ticket.ResponseData);
        Assert.Equal(mm.Id, ticket.UserId);
    }

    [Fact]
    public async Task Wrong_password_is_refused_without_storing_the_password()
    {
        using var client = app.CreateApiClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = TestDatabase.AdminEmail, password = "not-the-Passw0rd" });
        var ticketId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ticket_id").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var ticket = await TicketAssert.LoadAsync(app.Postgres, ticketId);
        Assert.Equal("LOGIN_FAILED", ticket.ActionType);
        Assert.DoesNotContain("not-the-Passw0rd", ticket.RequestPayload + ticket.ResponseData);
    }

    [Fact]
    public async Task Malformed_login_body_gets_422_with_a_failed_ticket()
    {
        using var client = app.CreateApiClient();

        var response = await client.PostAsync("/api/v1/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var ticket = await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("LOGIN_FAILED", "FAILED"), (ticket.ActionType, ticket.Status));
    }

    [Fact]
    public async Task Anonymous_caller_gets_401_on_an_admin_endpoint()
    {
        using var client = app.CreateApiClient();

        var response = await client.GetAsync(AdminEndpoint);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(Roles.Funded)]
    [InlineData(Roles.Pending)]
    [InlineData(Roles.Approved)]
    public async Task Non_admin_roles_get_403_on_an_admin_endpoint(string role)
    {
        using var client = await app.CreateClientForRoleAsync(role);

        var response = await client.GetAsync(AdminEndpoint);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        var user = await app.CreateUserAsync(Roles.Funded);
        using var client = app.CreateApiClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-Passw0rd" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var right = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = UserFactory.DefaultPassword });
        var ticketId = JsonDocument.Parse(await right.Content.ReadAsStringAsync()).RootElement.GetProperty("ticket_id").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked out", (await TicketAssert.LoadAsync(app.Postgres, ticketId)).ResponseData);
    }

    [Fact]
    public async Task A_cookie_cannot_be_used_against_the_api()
    {
        using var client = app.CreateApiClient();
        client.DefaultRequestHeaders.Add("Cookie", "mm.auth=forged");

        var response = await client.GetAsync(AdminEndpoint);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
