using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MarketMakers.Core.Telemetry;

/// <summary>
/// The app's own spans and business metrics (docs/operations.md, "Metrics"). Core depends on nothing but
/// System.Diagnostics: the web host decides whether anything listens (OpenTelemetry, Prometheus, dotnet-counters).
/// The order batch's histograms live beside the batch, in <see cref="Orders.OrderMetrics"/>.
/// </summary>
public static class MarketMakersTelemetry
{
    public const string SourceName = "MarketMakers";
    public const string MeterName = "MarketMakers";

    /// <summary>The order batch's span name; its round-trip tag is filled in by the host's trace processor.</summary>
    public const string OrderBatchSpan = "order_batch";

    public const string BatchSizeTag = "marketmakers.batch.size";
    public const string BatchRoundTripsTag = "marketmakers.batch.round_trips";
    public const string CertificateTypeTag = "marketmakers.certificate_type";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> OrdersAccepted = Meter.CreateCounter<long>(
        "marketmakers.orders.accepted", "{order}", "Orders placed (SUCCESS ticket), per certificate_type; replays are not counted.");

    public static readonly Counter<long> OrdersRefused = Meter.CreateCounter<long>(
        "marketmakers.orders.refused", "{order}", "Orders refused (FAILED ticket or no ticket), per certificate_type and reason (the error kind).");

    public static readonly Counter<long> TicketIdFallback = Meter.CreateCounter<long>(
        "marketmakers.ticket_ids.fallback", "{id}", "Ticket ids issued straight from PostgreSQL because Redis was unreachable or failed.");

    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "marketmakers.rate_limit.rejected", "{request}", "Requests answered 429 by the rate limiter, per limit (sign_in, api).");

    public static readonly UpDownCounter<long> ActiveCircuits = Meter.CreateUpDownCounter<long>(
        "marketmakers.circuits.active", "{circuit}", "Blazor Server circuits (open back-office pages) in this process.");

    static MarketMakersTelemetry()
    {
        Meter.CreateObservableGauge("marketmakers.ticket_ids.fallback_active", () => Gauge(OperationalState.RedisDown),
            "{bool}", "1 while Redis is not connected, so every ticket id comes from the PostgreSQL fallback.");
        Meter.CreateObservableGauge("marketmakers.audit.unsealed_tickets", () => Gauge(OperationalState.UnsealedTickets),
            "{ticket}", "Tickets committed but not yet sealed into the audit chain (the sealer's backlog).");
        Meter.CreateObservableGauge("marketmakers.audit.seal_lag", () => Gauge(OperationalState.SealLagSeconds),
            "s", "Age of the oldest unsealed ticket; 0 when the queue is empty.");
        Meter.CreateObservableGauge("marketmakers.ledger.reconciliation_mismatches", () => Gauge(OperationalState.ReconciliationMismatches),
            "{mismatch}", "Mismatches found by the last periodic ledger reconciliation.");
        Meter.CreateObservableGauge("marketmakers.approvals.pending", () => Gauge(OperationalState.PendingApprovals),
            "{request}", "Movement requests waiting for a second person (four-eyes).");
    }

    /// <summary>Reads the cached value; nothing is reported before the first sample, rather than a misleading 0.</summary>
    private static IEnumerable<Measurement<double>> Gauge(double? value) =>
        value is { } v ? [new Measurement<double>(v)] : [];

    /// <summary>
    /// The batch's span, a root of its own: the drainer's execution context is whatever was current when the
    /// sequencer was first built, so an inherited parent would be some long-finished request.
    /// </summary>
    public static Activity? StartOrderBatch(CertificateType certificate, int size)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity.Current = null;
        var activity = Source.StartActivity(OrderBatchSpan, ActivityKind.Internal);
        activity?.SetTag(CertificateTypeTag, certificate.Value);
        activity?.SetTag(BatchSizeTag, size);
        return activity;
    }

    /// <summary>Counts a placement's outcome once it is known; the caller awaits exactly what it awaited before.</summary>
    public static async Task<Audit.Audited<T>> ObservePlacementAsync<T>(CertificateType certificate, Task<Audit.Audited<T>> placement)
    {
        var instrument = new KeyValuePair<string, object?>("certificate_type", certificate.Value);
        try
        {
            var result = await placement;
            if (!result.IsReplay)
            {
                OrdersAccepted.Add(1, instrument);
            }

            return result;
        }
        catch (DomainException ex)
        {
            OrdersRefused.Add(1, instrument, new KeyValuePair<string, object?>("reason", ReasonOf(ex.Kind)));
            throw;
        }
        catch (Exception)
        {
            OrdersRefused.Add(1, instrument, new KeyValuePair<string, object?>("reason", "error"));
            throw;
        }
    }

    // A bounded label set (Prometheus keeps one series per value): the error kind, never the message.
    private static string ReasonOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Validation => "validation",
        DomainErrorKind.BusinessRule => "business_rule",
        DomainErrorKind.NotFound => "not_found",
        DomainErrorKind.Conflict => "conflict",
        DomainErrorKind.Unauthorized => "unauthorized",
        DomainErrorKind.Forbidden => "forbidden",
        _ => "internal",
    };
}
