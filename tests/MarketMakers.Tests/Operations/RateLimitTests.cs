using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Tests.Infrastructure;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18: sign-in is limited per client IP and per account, the API per bearer token; a refusal is 429 with
/// Retry-After and the <c>{detail, ticket_id}</c> body (ticket_id null: a refused request writes nothing).
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly OperationsAppFactory _app = new(new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerIp:PermitLimit"] = "3",
        ["RateLimits:SignInPerIp:WindowSeconds"] = "300",
        ["RateLimits:SignInPerAccount:PermitLimit"] = "2",
        ["RateLimits:SignInPerAccount:WindowSeconds"] = "300",
        ["RateLimits:ApiPerToken:PerSecond"] = "1",
        ["RateLimits:ApiPerToken:Burst"] = "3",
    });

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_in_from_one_ip_is_refused_with_429_after_its_limit_while_other_ips_still_sign_in()
    {
        using var client = _app.CreateApiClient();
        _app.RemoteIp = IPAddress.Parse("203.0.113.10");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, Unknown())).StatusCode);
        }

        await AssertTooManyAsync(await LoginAsync(client, Unknown()), maxRetryAfter: 300);

        _app.RemoteIp = IPAddress.Parse("203.0.113.11");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, Unknown())).StatusCode);
    }

    [Fact]
    public async Task One_account_is_limited_across_ips_and_the_page_form_counts_too()
    {
        using var client = _app.CreateApiClient();
        var victim = Unknown();
        _app.RemoteIp = IPAddress.Parse("198.51.100.1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, victim)).StatusCode);
        _app.RemoteIp = IPAddress.Parse("198.51.100.2");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, victim.ToUpperInvariant())).StatusCode);

        // A third IP, and the sign-in page's form instead of the API: still the same account.
        _app.RemoteIp = IPAddress.Parse("198.51.100.3");
        var form = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = victim, ["password"] = "wrong-password",
        }));
        await AssertTooManyAsync(form, maxRetryAfter: 300);

        // Another account from that IP is not affected.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, Unknown())).StatusCode);
    }

    [Fact]
    public async Task The_api_is_limited_per_bearer_token()
    {
        _app.RemoteIp = IPAddress.Parse("192.0.2.50");
        using var first = await _app.CreateAdminClientAsync();
        _app.RemoteIp = IPAddress.Parse("192.0.2.51");
        using var second = await _app.CreateAdminClientAsync();

        HttpResponseMessage? refused = null;
        var accepted = 0;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await first.GetAsync("/api/v1/admin/market-makers");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                accepted++;
            }
        }

        Assert.True(refused is not null, "the token was never limited");
        Assert.True(accepted >= 3, $"the burst of 3 was not served first ({accepted})");
        await AssertTooManyAsync(refused!, maxRetryAfter: 1);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/admin/market-makers")).StatusCode);
    }

    private static string Unknown() => $"nobody-{Guid.NewGuid():N}@test.local";

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong-password" });

    private static async Task AssertTooManyAsync(HttpResponseMessage response, int maxRetryAfter)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.InRange(retryAfter.TotalSeconds, 1, maxRetryAfter);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("Too many requests", body.GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ticket_id").ValueKind);
    }
}
