using System.Net;
using System.Net.Http.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Logging;

/// <summary>Passwords never reach the audit trail: not in payloads, states, tags or any other column.</summary>
public sealed class PayloadSecrecyTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Creating_a_client_user_and_signing_in_never_store_the_password_in_ticket_logs()
    {
        var password = "Secret-" + Guid.NewGuid().ToString("N");
        var wrongPassword = "Wrong-" + Guid.NewGuid().ToString("N");
        var email = $"secret-{Guid.NewGuid():N}@test.local";
        using var admin = await app.CreateAdminClientAsync();
        using var anonymous = app.CreateApiClient();

        var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            email, password, first_name = "Sec", last_name = "Ret", role = "FUNDED", entity_name = $"Secret {Guid.NewGuid():N}",
        });
        var signedIn = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = wrongPassword });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The actions were audited (their tickets mention the email) ...
        Assert.True(await TestDatabase.ScalarAsync<long>(app.Postgres,
            "SELECT count(*) FROM ticket_logs t WHERE strpos(t::text, @p0) > 0", email) >= 1);
        // ... and no column of any ticket holds either password.
        foreach (var secret in new[] { password, wrongPassword })
        {
            Assert.Equal(0, await TestDatabase.ScalarAsync<long>(app.Postgres,
                "SELECT count(*) FROM ticket_logs t WHERE strpos(t::text, @p0) > 0", secret));
        }
    }
}
