using System.Security.Claims;
using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MarketMakers.Web.Api;

/// <summary>
/// The one path of every mutating endpoint: read the body once, parse it and the <c>Idempotency-Key</c> into a
/// typed command (bad input becomes a FAILED ticket and a 422), run the service, and answer 200 with the shaped
/// response, the stored first response on a replay, or the error body with the refusal's status. The typed result
/// is what the OpenAPI document describes.
/// </summary>
public static class AuditedCommand
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static async Task<Results<Ok<TResponse>, ReplayedResponse, Refusal>> RunAsync<TCommand, TValue, TResponse>(
        HttpContext http,
        Func<CommandInput, TCommand> parse,
        Func<CommandInput, TicketDraft> refusedTicket,
        Func<TCommand, CancellationToken, Task<Audited<TValue>>> execute,
        Func<TValue, string, TResponse> shape)
        where TCommand : Command
    {
        var ct = http.RequestAborted;
        var input = new CommandInput(http, await JsonBody.ReadTextAsync(http.Request, ct));
        TCommand command;
        try
        {
            var key = KeyOf(http, input.Text, shape);
            command = (TCommand)parse(input).WithIdempotency(key);
        }
        catch (DomainException ex)
        {
            var runner = http.RequestServices.GetRequiredService<BusinessActionRunner>();
            return new Refusal(await runner.RejectAsync(refusedTicket(input), ex, ct));
        }

        try
        {
            var result = await execute(command, ct);
            return result.Replay is { } replay ? new ReplayedResponse(replay) : TypedResults.Ok(shape(result.Value, result.TicketId));
        }
        catch (DomainException ex)
        {
            return new Refusal(ex);
        }
    }

    /// <summary>
    /// The request's key, when it sent one: whose it is, the key, a hash of method, target and body, and how to
    /// render the response so a replay is byte-for-byte the first answer. A malformed key is bad input.
    /// </summary>
    private static IdempotencyRequest? KeyOf<TValue, TResponse>(HttpContext http, string body, Func<TValue, string, TResponse> shape)
    {
        if (!http.Request.Headers.TryGetValue(KeyHeader, out var values))
        {
            return null;
        }

        var key = IdempotencyRequest.ValidateKey(values.Count == 1 ? values[0] : null);
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var scope = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var hash = IdempotencyRequest.Hash(http.Request.Method, http.Request.Path.ToString() + http.Request.QueryString, body);
        return new IdempotencyRequest(scope, key, hash, (value, ticketId) => JsonSerializer.Serialize(shape((TValue)value!, ticketId), json));
    }
}
