using System.Security.Claims;
using System.Text.Json;
using MarketMakers.Core.Idempotency;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MarketMakers.Web.Api;

/// <summary>
/// The <c>Idempotency-Key</c> header of money-moving commands (docs/decisions/0008-idempotency.md). The key is
/// handed to the business action, which stores it with its effect; a retry replays the stored response.
/// </summary>
public static class IdempotentCommand
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// Makes the next business action of this request idempotent when the request carries a key. Throws a
    /// validation <see cref="Core.DomainException"/> for a malformed key (the caller records it as a FAILED
    /// ticket). <paramref name="shape"/> builds the response body from the action's result and ticket id; the
    /// endpoint must answer with the same shape so a replay is byte-for-byte the first response.
    /// </summary>
    public static IDisposable? Use<T>(HttpRequest http, string body, Func<T, string, object> shape)
    {
        if (!http.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }

        var key = IdempotencyRequest.ValidateKey(values.Count == 1 ? values[0] : null);
        var services = http.HttpContext.RequestServices;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var scope = http.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var hash = IdempotencyRequest.Hash(http.Method, http.Path.ToString() + http.QueryString, body);
        var request = new IdempotencyRequest(scope, key, hash, (value, ticketId) =>
        {
            var response = shape((T)value!, ticketId);
            return JsonSerializer.Serialize(response, response.GetType(), json);
        });
        return services.GetRequiredService<IdempotencyContext>().Use(request);
    }

    /// <summary>The stored response of the key's first, committed request.</summary>
    public static IResult Replay(HttpContext http, IdempotentReplayException replay)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        return Results.Text(replay.ResponseBody, "application/json; charset=utf-8", statusCode: replay.StatusCode);
    }
}
