using System.Net;
using System.Net.Sockets;
using MarketMakers.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// The web app with settings of its own on top of the test defaults, optionally on a database of its own and with
/// every request arriving from <see cref="RemoteIp"/> (the test server has no socket, so the address is set the way
/// a proxy-aware host would see a remote caller).
/// </summary>
public class OperationsAppFactory(IReadOnlyDictionary<string, string?>? settings = null, string? postgres = null, string? redis = null) : AppFactory
{
    /// <summary>The address every request appears to come from; null leaves the test server's default.</summary>
    public IPAddress? RemoteIp { get; set; }

    /// <summary>Services a test adds on top of the app's (a trace exporter, say).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public override async Task InitializeAsync() => Postgres = postgres ?? await TestDatabase.SharedAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in TestDatabase.Settings(Postgres, redis))
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter>(new RemoteIpFilter(this));
            TestServices?.Invoke(s);
        });
    }

    /// <summary>A loopback port nothing listens on: a Redis that is down from the start.</summary>
    public static string UnreachableRedis()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    private sealed class RemoteIpFilter(OperationsAppFactory factory) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (factory.RemoteIp is { } ip)
                {
                    http.Connection.RemoteIpAddress = ip;
                }

                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
