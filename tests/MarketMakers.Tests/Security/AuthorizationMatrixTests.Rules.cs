using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Security;

/// <summary>The role table (by route prefix) and the routes the matrix reads from the app's metadata.</summary>
public sealed partial class AuthorizationMatrixTests
{
    public const string Anonymous = "ANONYMOUS";

    private static readonly string[] AllRoles = [Anonymous, Roles.Pending, Roles.Approved, Roles.Funded, Roles.MarketMaker, Roles.Admin, Roles.Operator, Roles.Auditor];
    private static readonly string[] Everyone = [Anonymous, Roles.Pending, Roles.Approved, Roles.Funded, Roles.Admin, Roles.Operator, Roles.Auditor];
    private static readonly string[] CashMarketViewers = [Roles.Admin, Roles.Operator, Roles.Auditor, Roles.Funded, Roles.Approved, Roles.Pending];
    private static readonly string[] Traders = [Roles.Funded];
    private static readonly string[] Admins = [Roles.Admin];
    private static readonly string[] Staff = [Roles.Admin, Roles.Operator, Roles.Auditor];
    private static readonly string[] Desk = [Roles.Admin, Roles.Operator];
    private static readonly string[] SignedIn = CashMarketViewers;

    /// <summary>SPEC §2/§2a for the API: (route prefix, method or null for any, who is allowed). First match wins.</summary>
    private static readonly (string Prefix, string? Method, string[] Allowed)[] ApiRules =
    [
        ("/api/v1/auth/logout", null, SignedIn),
        ("/api/v1/auth/", null, Everyone),
        // The interactive API reference (Scalar) and its assets: public, like the OpenAPI document it renders.
        ("/api/docs", "GET", Everyone),
        ("/api/v1/admin/staff", null, Admins),
        ("/api/v1/admin/approvals/", "POST", Admins),
        // SPEC §4a: any desk role halts; only an ADMIN resumes or changes limits.
        ("/api/v1/admin/markets/{certificate_type}/resume", null, Admins),
        ("/api/v1/admin/markets/{certificate_type}/limits", null, Admins),
        ("/api/v1/admin/", "GET", Staff),
        ("/api/v1/admin/", null, Desk),
        ("/api/v1/cash-market/orderbook/", "GET", Everyone),
        // Public market data, like the order book (issue 17).
        ("/api/v1/cash-market/candles", "GET", Everyone),
        ("/api/v1/cash-market/tape", "GET", Everyone),
        ("/api/v1/cash-market/", "GET", CashMarketViewers),
        ("/api/v1/cash-market/", null, Traders),
    ];

    /// <summary>SPEC §2/§6 for pages (and other cookie GET endpoints): (route prefix, who is allowed). First match wins.</summary>
    private static readonly (string Prefix, string[] Allowed)[] PageRules =
    [
        ("/login", Everyone),
        // Reached before any sign-in succeeds: a password set by someone else is changed here first.
        ("/account/change-password", Everyone),
        ("/error", Everyone),
        ("/backoffice/staff", Admins),
        ("/backoffice", Staff),
        ("/cash-market", CashMarketViewers),
        ("/", SignedIn),
    ];

    public static TheoryData<string> Roles_ => new(AllRoles);

    public sealed record ApiRoute(string Method, string Pattern, bool HasAuthorizationMetadata);

    /// <param name="IsEndpoint">A cookie GET endpoint rather than a page: a download for a placeholder id may be a 404.</param>
    public sealed record PageRoute(string Template, string Source, bool HasAuthorizationMetadata, bool IsEndpoint = false);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"\{\*?([A-Za-z_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    private IReadOnlyList<ApiRoute> ApiRoutes()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new ApiRoute(m, e.RoutePattern.RawText!,
                    e.Metadata.GetMetadata<IAuthorizeData>() is not null || e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Distinct()
            // Logout revokes the token it is called with, so it runs last: every other route still sees a live session.
            .OrderBy(r => r.Pattern.EndsWith("/auth/logout", StringComparison.Ordinal)).ThenBy(r => r.Pattern).ThenBy(r => r.Method)
            .ToList();
    }

    private IReadOnlyList<PageRoute> PageRoutes()
    {
        var components = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => new PageRoute(r.Template, t.Name,
                t.GetCustomAttributes<AuthorizeAttribute>().Any() || t.GetCustomAttributes<AllowAnonymousAttribute>().Any())));
        // Cookie-protected GET endpoints that are not components (e.g. the CSV export) belong to the page matrix.
        var others = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase)
                && e.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                && e.Metadata.GetMetadata<IAuthorizeData>() is not null
                && (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? false))
            .Select(e => new PageRoute(e.RoutePattern.RawText!, e.DisplayName ?? "endpoint", true, IsEndpoint: true));
        return components.Concat(others).DistinctBy(p => p.Template).OrderBy(p => p.Template).ToList();
    }

    private static string[] AllowedFor(ApiRoute route) =>
        ApiRules.FirstOrDefault(r => route.Pattern.StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase)
                                     && (r.Method is null || r.Method == route.Method)).Allowed
        ?? throw new Xunit.Sdk.XunitException($"No role rule covers {route.Method} {route.Pattern}: add it to ApiRules.");

    private static string[] AllowedFor(PageRoute page) =>
        PageRules.FirstOrDefault(r => page.Template.StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase)).Allowed
        ?? throw new Xunit.Sdk.XunitException($"No role rule covers page {page.Template}: add it to PageRules.");

    /// <summary>Fills route parameters with placeholders: a ticket id, a certificate type, else a random GUID.</summary>
    public static string Fill(string template) =>
        RouteParameter().Replace(template, m => m.Groups[1].Value.ToLowerInvariant() switch
        {
            var n when n.Contains("ticket", StringComparison.Ordinal) => "TKT-2026-000001",
            var n when n.Contains("certificate", StringComparison.Ordinal) => "CEA",
            _ => Guid.NewGuid().ToString(),
        });
}
