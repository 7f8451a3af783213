using System.Net;
using System.Net.Http.Json;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;

namespace MarketMakers.Tests.Clients;

/// <summary>SPEC §7 client administration: create a client user with an entity, fund it, list it.</summary>
public sealed class ClientApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Admin_creates_a_client_user_with_an_entity_and_funds_it_with_eur()
    {
        using var admin = await app.CreateAdminClientAsync();
        var email = $"client-{Guid.NewGuid():N}@test.local";
        var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            email, password = UserFactory.DefaultPassword, first_name = "Ada", last_name = "Trader", role = "FUNDED", entity_name = "Ada Carbon GmbH",
        });
        var body = await MmApi.JsonAsync(created);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var user = body.GetProperty("user");
        Assert.Equal((email, "FUNDED"), (user.GetProperty("email").GetString(), user.GetProperty("role").GetString()));
        var userId = user.GetProperty("id").GetGuid();
        var entityId = user.GetProperty("entity_id").GetGuid();
        var ticket = await TicketAssert.LoadAsync(app.Postgres, body.GetProperty("ticket_id").GetString()!);
        Assert.Equal(("USER_CREATED", "SUCCESS"), (ticket.ActionType, ticket.Status));
        Assert.DoesNotContain(UserFactory.DefaultPassword, ticket.RequestPayload ?? "");
        Assert.Equal("CLIENT_ENTITY", await TestDatabase.ScalarAsync<string>(app.Postgres, "SELECT kind FROM holders WHERE id = @p0", entityId));

        var deposit = await admin.PostAsJsonAsync($"/api/v1/admin/users/{userId}/deposits", new { amount = "2500.50", notes = "wire" });
        var funded = await MmApi.JsonAsync(deposit);
        Assert.Equal(HttpStatusCode.OK, deposit.StatusCode);
        Assert.Equal(2500.50m, funded.GetProperty("new_balance").Dec("available"));
        Assert.Equal("ASSET_DEPOSIT", (await TicketAssert.LoadAsync(app.Postgres, funded.GetProperty("ticket_id").GetString()!)).ActionType);
        Assert.Equal(funded.GetProperty("ticket_id").GetString(), funded.GetProperty("transaction").GetProperty("ticket_id").GetString());

        var list = await MmApi.JsonAsync(await admin.GetAsync($"/api/v1/admin/users?search={email}"));
        var listed = Assert.Single(list.GetProperty("users").EnumerateArray());
        Assert.Equal(2500.50m, listed.GetProperty("balances").GetProperty("EUR").Dec("available"));
    }

    [Fact]
    public async Task Bad_client_input_is_refused_with_a_failed_ticket()
    {
        using var admin = await app.CreateAdminClientAsync();
        var noEntity = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            email = $"c-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "A", last_name = "B", role = "FUNDED",
        });
        await MmApi.AssertRejectedAsync(app.Postgres, noEntity, HttpStatusCode.UnprocessableEntity, "USER_CREATED");
        var badRole = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            email = $"c-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "A", last_name = "B", role = "MARKET_MAKER", entity_name = "X",
        });
        await MmApi.AssertRejectedAsync(app.Postgres, badRole, HttpStatusCode.UnprocessableEntity, "USER_CREATED");
        var badAmount = await admin.PostAsJsonAsync($"/api/v1/admin/users/{Guid.NewGuid()}/deposits", new { amount = "-1" });
        await MmApi.AssertRejectedAsync(app.Postgres, badAmount, HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");
        var unknown = await admin.PostAsJsonAsync($"/api/v1/admin/users/{Guid.NewGuid()}/deposits", new { amount = "1" });
        await MmApi.AssertRejectedAsync(app.Postgres, unknown, HttpStatusCode.NotFound, "ASSET_DEPOSIT");
        var malformed = await MmApi.PostRawAsync(admin, $"/api/v1/admin/users/{Guid.NewGuid()}/deposits", "[1,2");
        await MmApi.AssertRejectedAsync(app.Postgres, malformed, HttpStatusCode.UnprocessableEntity, "ASSET_DEPOSIT");
    }
}
