using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MarketMakers.Core.Idempotency;

/// <summary>
/// An idempotent command: the key, who sent it, a hash of the request, and how to render the response body of
/// the action's result (so the body can be stored with the effect, in its transaction).
/// </summary>
public sealed record IdempotencyRequest(string Scope, string Key, string RequestHash, Func<object?, string, string> RenderResponse)
{
    public const int MaxKeyLength = 128;

    /// <summary>Checks a client-supplied key: 1 to 128 printable ASCII characters.</summary>
    public static string ValidateKey(string? key)
    {
        var trimmed = key?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxKeyLength || trimmed.Any(c => c < 0x21 || c > 0x7e))
        {
            throw DomainException.Validation($"'Idempotency-Key' must be 1 to {MaxKeyLength} printable ASCII characters without spaces.");
        }

        return trimmed;
    }

    /// <summary>
    /// For a page form: one key per form submission (a Guid made when the form is shown or reset), the command's
    /// name and its fields as the request. The stored "response" is the ticket id of the effect.
    /// </summary>
    public static IdempotencyRequest ForForm(Guid? userId, Guid submissionKey, string command, object fields) => new(
        userId?.ToString() ?? "system",
        "form:" + submissionKey.ToString("N"),
        Hash("FORM", command, JsonSerializer.Serialize(fields)),
        (_, ticketId) => JsonSerializer.Serialize(new { ticket_id = ticketId }));

    /// <summary>The hash that tells "the same request again" from "another request reusing the key".</summary>
    public static string Hash(string method, string target, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()}\n{target}\n{body}")));
}
