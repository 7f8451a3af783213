using System.Security.Cryptography;

namespace MarketMakers.Web.Security;

/// <summary>
/// Browser hardening on every response. The Content-Security-Policy is the strictest Blazor Server and MudBlazor run
/// under: scripts only from this origin plus the one inline import map (its per-request nonce), no eval; styles allow
/// inline because MudBlazor sets style attributes and its theme writes a &lt;style&gt; element; the circuit's WebSocket
/// is same-origin. HSTS only on HTTPS (a browser ignores it over HTTP, and it must never pin a plain-HTTP dev host).
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "mm.csp-nonce";

    public static string Policy(string nonce, bool apiReference = false) =>
        "default-src 'self'; " +
        // The API reference page (Scalar, /api/docs) boots from an inline module script it renders itself, without a
        // nonce; it holds no session or data of its own, so only that path allows inline scripts (never eval).
        (apiReference ? "script-src 'self' 'unsafe-inline'; " : $"script-src 'self' 'nonce-{nonce}'; ") +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>The nonce the page's inline import map must carry (App.razor).</summary>
    public static string? Nonce(HttpContext? http) => http?.Items[NonceKey] as string;

    public static IApplicationBuilder UseMarketMakersSecurityHeaders(this IApplicationBuilder app)
    {
        var hstsMaxAge = (long)app.ApplicationServices.GetRequiredService<IConfiguration>()
            .GetValue("Security:HstsMaxAge", TimeSpan.FromDays(365)).TotalSeconds;
        return app.Use((http, next) =>
        {
            // Hex, not base64: "+" and "/" would be HTML-encoded in the attribute.
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceKey] = nonce;
            // Set as the response starts, so they replace what an endpoint added: Blazor's interactive endpoints send
            // their own "frame-ancestors 'self'" CSP, which would otherwise arrive as a second, weaker header.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = Policy(nonce, http.Request.Path.StartsWithSegments("/api/docs"));
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = $"max-age={hstsMaxAge}; includeSubDomains";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
