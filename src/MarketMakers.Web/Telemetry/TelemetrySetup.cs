using MarketMakers.Core.Orders;
using MarketMakers.Core.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MarketMakers.Web.Telemetry;

/// <summary>
/// OpenTelemetry for the web host (docs/operations.md): metrics always (Prometheus at <c>/metrics</c>, OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), traces when there is somewhere to send them (the OTLP endpoint, or
/// <c>Telemetry:Tracing=true</c> for a listener of the host's own): sampling every request for nobody costs the order
/// path allocations for nothing.
/// </summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddMarketMakersTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "marketmakers"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter("System.Runtime", "Npgsql", MarketMakersTelemetry.MeterName, OrderMetrics.MeterName)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp || configuration.GetValue("Telemetry:Tracing", false))
        {
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(MarketMakersTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddNpgsql()
                    .AddRedisInstrumentation()
                    // Before any exporter: it completes the batch span's tags as the span ends.
                    .AddProcessor(new BatchRoundTripProcessor());
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }

        // With Logging__Console__FormatterName=json every line is one JSON object, and its scopes carry the request's
        // TraceId and SpanId (the host's default activity tracking), so logs join their traces.
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        builder.Services.AddOptions<MetricsAccessOptions>()
            .BindConfiguration(MetricsAccessOptions.Section)
            .PostConfigure<IConfiguration>(MetricsAccessOptions.AddFlat)
            .Validate(o => o.IsValid, "Metrics:AllowedNetworks must be CIDRs such as 10.0.0.0/8")
            .ValidateOnStart();
        builder.Services.AddHostedService<OperationalSampler>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitTelemetryHandler>());
        return builder;
    }

    /// <summary>Prometheus at <c>/metrics</c>, for loopback and <c>Metrics:AllowedNetworks</c> only (403 otherwise).</summary>
    public static void MapMarketMakersMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(MetricsAccess.Guard), optionsName: null);

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");
}
