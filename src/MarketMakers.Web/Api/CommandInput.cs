using System.Security.Claims;
using MarketMakers.Core;

namespace MarketMakers.Web.Api;

/// <summary>
/// What a mutating endpoint received, read once: the raw body, its route values and the signed-in user. Parsing
/// it into a command throws a validation <see cref="DomainException"/>, which <see cref="AuditedCommand"/> records
/// as a FAILED ticket.
/// </summary>
public sealed class CommandInput(HttpContext http, string text)
{
    private JsonBody? _body;

    public string Text { get; } = text;

    /// <summary>The body as a JSON object; a body that is not one is bad input.</summary>
    public JsonBody Body => _body ??= JsonBody.Parse(Text, http.Request);

    public string? Route(string name) => http.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>The signed-in user; the endpoint's authorization policy has already required one.</summary>
    public UserId User => Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
        ? new UserId(id)
        : throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");

    /// <summary>What the FAILED ticket of a refused request records: the JSON itself when it parses, else a prefix.</summary>
    public object? ForAudit() => JsonBody.ForAudit(Text);

    /// <summary>A string field of the body, best effort, for a refused request's ticket.</summary>
    public string? Peek(string name) => JsonBody.PeekString(Text, name);
}
