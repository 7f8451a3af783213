using System.Security.Claims;
using MarketMakers.Core.Audit;

namespace MarketMakers.Web.Auth;

/// <summary>
/// The request that opened a Blazor circuit, captured while it was still an HTTP request and handed to the
/// circuit as a (data-protected) root component parameter. Page actions are audited with this origin.
/// </summary>
public sealed record CircuitOrigin(Guid? UserId, string? Email, string? IpAddress, string? UserAgent, string? SessionId)
{
    public RequestContext ToRequestContext() => new(UserId, Email, IpAddress, UserAgent, SessionId);

    public static CircuitOrigin From(HttpContext http)
    {
        var c = WebRequestContextAccessor.FromHttp(http);
        return new CircuitOrigin(c.UserId, c.UserEmail, c.IpAddress, c.UserAgent, c.SessionId);
    }
}

/// <summary>Circuit-scoped holder of the <see cref="CircuitOrigin"/>.</summary>
public sealed class CircuitRequestContext
{
    public CircuitOrigin? Origin { get; set; }
}

/// <summary>Page actions use the circuit's origin; API calls use their own HTTP request; anything else is the system.</summary>
public sealed class WebRequestContextAccessor(CircuitRequestContext circuit, IHttpContextAccessor http) : IRequestContextAccessor
{
    public RequestContext Current =>
        circuit.Origin?.ToRequestContext()
        ?? (http.HttpContext is { } ctx ? FromHttp(ctx) : RequestContext.System);

    public static RequestContext FromHttp(HttpContext http)
    {
        var user = http.User;
        Guid? userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        return new RequestContext(
            userId,
            user.FindFirstValue(ClaimTypes.Email),
            http.Connection.RemoteIpAddress?.ToString(),
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
            user.FindFirstValue(AuthSetup.SessionClaim));
    }
}
