using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MarketMakers.Web.Telemetry;

public sealed class MetricsAccessOptions
{
    public const string Section = "Metrics";

    /// <summary>CIDRs (e.g. <c>10.0.0.0/8</c>) besides loopback that may scrape <c>/metrics</c>.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Also accepts one comma-separated value (<c>Metrics__AllowedNetworks=10.0.0.0/8,192.168.0.0/16</c>).</summary>
    internal static void AddFlat(MetricsAccessOptions options, IConfiguration configuration)
    {
        if (configuration[$"{Section}:AllowedNetworks"] is { Length: > 0 } flat)
        {
            options.AllowedNetworks.AddRange(flat.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        options.AllowedNetworks = [.. options.AllowedNetworks.Select(n => n.Trim()).Where(n => n.Length > 0)];
    }

    internal bool IsValid => AllowedNetworks.All(n => IPNetwork.TryParse(n, out _));
}

/// <summary>
/// Metrics name instruments, markets and load: only the host itself and the configured scrapers' networks see them.
/// The address is the TCP peer's: behind a reverse proxy, allow the proxy's network or scrape the container directly.
/// </summary>
internal static class MetricsAccess
{
    public static async Task Guard(HttpContext http, Func<Task> next)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<MetricsAccessOptions>>().CurrentValue;
        if (IsAllowed(http.Connection.RemoteIpAddress, options.AllowedNetworks))
        {
            await next();
            return;
        }

        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["detail"] = "Metrics are served to loopback and Metrics:AllowedNetworks only.",
            ["ticket_id"] = null,
        }));
    }

    public static bool IsAllowed(IPAddress? remote, IEnumerable<string> allowedNetworks)
    {
        // No peer address (a Unix socket, an in-process server) is refused too: nothing proves it is local.
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (IPAddress.IsLoopback(remote))
        {
            return true;
        }

        foreach (var cidr in allowedNetworks)
        {
            if (IPNetwork.TryParse(cidr, out var network) && network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }
}
