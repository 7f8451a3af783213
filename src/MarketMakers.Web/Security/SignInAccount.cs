using System.Text.Json;

namespace MarketMakers.Web.Security;

/// <summary>
/// The account a sign-in request names, for the per-account limit: read once, before the rate limiter (its
/// partitioner cannot await the body), from the form or the JSON body, and left for the endpoint to read again.
/// </summary>
internal static class SignInAccount
{
    private const string ItemKey = "mm.sign-in-account";
    private const int MaxJsonBytes = 16 * 1024;

    public static string? Of(HttpContext http) => http.Items[ItemKey] as string;

    public static async Task ReadAsync(HttpContext http, Func<Task> next)
    {
        var email = await ReadEmailAsync(http.Request, http.RequestAborted);
        if (email is { Length: > 0 })
        {
            http.Items[ItemKey] = email.Trim().ToUpperInvariant();
        }

        await next();
    }

    private static async Task<string?> ReadEmailAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            if (request.HasFormContentType)
            {
                // The form feature caches what it read: the endpoint's [FromForm] binding gets the same form.
                var form = await request.ReadFormAsync(ct);
                return form["email"].ToString();
            }

            if (request.HasJsonContentType() && request.ContentLength is null or <= MaxJsonBytes)
            {
                request.EnableBuffering(MaxJsonBytes);
                try
                {
                    using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                    return json.RootElement.ValueKind == JsonValueKind.Object
                           && json.RootElement.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String
                        ? e.GetString()
                        : null;
                }
                finally
                {
                    request.Body.Position = 0;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or BadHttpRequestException)
        {
            // A malformed body is the endpoint's to refuse (422); the per-IP limit still applies.
            if (request.Body.CanSeek)
            {
                request.Body.Position = 0;
            }
        }

        return null;
    }
}
