using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketMakers.Core.Telemetry;
using MarketMakers.Tests.Faults;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using OpenTelemetry.Trace;

namespace MarketMakers.Tests.Operations;

/// <summary>
/// Issue 18 telemetry: Prometheus at /metrics with the business metrics an operator alerts on, the order batch as a
/// span of its own, and /metrics closed to anyone but loopback and Metrics:AllowedNetworks.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Metrics_expose_order_outcomes_batches_gauges_and_the_platform_after_orders_are_placed()
    {
        var spans = new LockedCollection<Activity>();
        await using var app = new OperationsAppFactory(new Dictionary<string, string?>
        {
            ["Telemetry:Tracing"] = "true",
            ["Telemetry:SampleSeconds"] = "1",
            ["Telemetry:ReconciliationSeconds"] = "1",
        })
        {
            RemoteIp = IPAddress.Loopback,
            TestServices = s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
        };
        await app.InitializeAsync();
        using var admin = await app.CreateAdminClientAsync();
        var mm = await MmApi.CreateAsync(admin, new Dictionary<string, string> { ["EUA"] = "100" }, "telemetry");

        await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "EUA", "71.25", "10"));
        var refused = await OrderApi.PlaceMmAsync(admin, mm, "EUA", "71.25", "1000");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var scraper = app.CreateApiClient();
        var metrics = "";
        await Poll.UntilAsync(async () =>
        {
            metrics = await scraper.GetStringAsync("/metrics");
            return Value(metrics, "marketmakers_orders_accepted_total", "certificate_type=\"EUA\"") >= 1
                && Value(metrics, "marketmakers_orders_refused_total", "certificate_type=\"EUA\"", "reason=\"business_rule\"") >= 1
                && metrics.Contains("marketmakers_audit_unsealed_tickets", StringComparison.Ordinal)
                && metrics.Contains("marketmakers_ledger_reconciliation_mismatches", StringComparison.Ordinal);
        }, Wait, () => $"business metrics missing from /metrics:\n{metrics}");

        foreach (var series in new[]
                 {
                     "marketmakers_orders_batch_size_bucket", "marketmakers_orders_batch_duration_milliseconds_bucket",
                     "marketmakers_audit_seal_lag_seconds", "marketmakers_approvals_pending", "marketmakers_ticket_ids_fallback_active",
                     "http_server_request_duration_seconds_bucket", "dotnet_gc_collections_total",
                 })
        {
            Assert.True(metrics.Contains(series, StringComparison.Ordinal), $"{series} missing from /metrics");
        }

        // The ledger the sampler reconciled is clean. (The sampled gauges are process-wide, and other test hosts in this
        // process run with Redis down, so the fallback gauge's value is not asserted here.)
        Assert.Equal(0, Value(metrics, "marketmakers_ledger_reconciliation_mismatches"));

        // The order batch is a span of its own, tagged with the instrument, its size and its PostgreSQL round trips
        // (BEGIN with the reads, then the writes with COMMIT: at least two), each of them an Npgsql child span.
        Activity? batch = null;
        await Poll.UntilAsync(() =>
        {
            batch = spans.Snapshot().LastOrDefault(a => a.OperationName == MarketMakersTelemetry.OrderBatchSpan
                && (string?)a.GetTagItem(MarketMakersTelemetry.CertificateTypeTag) == "EUA");

            return Task.FromResult(batch is not null);
        }, Wait, "no order_batch span was exported");
        Assert.True((int)batch!.GetTagItem(MarketMakersTelemetry.BatchSizeTag)! >= 1);
        Assert.True((int)batch.GetTagItem(MarketMakersTelemetry.BatchRoundTripsTag)! >= 2, "a batch takes at least two round trips");
        var exported = spans.Snapshot();
        Assert.Contains(exported, a => a.Source.Name == "Npgsql" && a.ParentSpanId == batch.SpanId);
        Assert.Contains(exported, a => a.Source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && a.DisplayName.Contains("market-orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_answer_only_loopback_and_the_allowed_networks()
    {
        await using var app = new OperationsAppFactory(new Dictionary<string, string?> { ["Metrics:AllowedNetworks"] = "198.51.100.0/24, 2001:db8::/32" });
        await app.InitializeAsync();
        using var client = app.CreateApiClient();

        foreach (var allowed in new[] { "127.0.0.1", "::1", "::ffff:127.0.0.1", "198.51.100.20", "2001:db8::5" })
        {
            app.RemoteIp = IPAddress.Parse(allowed);
            var response = await client.GetAsync("/metrics");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{allowed} got {(int)response.StatusCode}");
            Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync());
        }

        foreach (var refused in new[] { "203.0.113.7", "198.51.101.1", "10.0.0.1", "2001:db9::1" })
        {
            app.RemoteIp = IPAddress.Parse(refused);
            var response = await client.GetAsync("/metrics");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{refused} got {(int)response.StatusCode}");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("Metrics:AllowedNetworks", body.GetProperty("detail").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("ticket_id").ValueKind);
        }
    }

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>; -1 if none.</summary>
    internal static double Value(string exposition, string name, params string[] labels)
    {
        foreach (Match m in Regex.Matches(exposition, $@"^{name}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)", RegexOptions.Multiline))
        {
            var found = m.Groups["labels"].Value;
            if (labels.All(l => found.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>The exporter adds from the thread that ended the span while the test reads.</summary>
    private sealed class LockedCollection<T> : System.Collections.ObjectModel.Collection<T>
    {
        public IReadOnlyList<T> Snapshot()
        {
            lock (Items) { return [.. Items]; }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (Items) { base.InsertItem(index, item); }
        }
    }
}
