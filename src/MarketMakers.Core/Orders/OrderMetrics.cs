using System.Diagnostics.Metrics;

namespace MarketMakers.Core.Orders;

/// <summary>
/// What operators watch on the order path (docs/operations.md): how many orders share a transaction and how long a
/// committed batch took, and how much of that its two round trips took (the rest is matching and rendering in the
/// app). Small batches at high latency point at the database; large ones near the cap at load.
/// </summary>
public static class OrderMetrics
{
    public const string MeterName = "MarketMakers.Orders";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "marketmakers.orders.batch_size", "{order}", "Orders placed in one committed transaction.");

    public static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "marketmakers.orders.batch_duration", "ms", "Time from a batch's first statement to its COMMIT.");

    public static readonly Histogram<double> BatchReadDuration = Meter.CreateHistogram<double>(
        "marketmakers.orders.batch_read_duration", "ms", "A committed batch's first round trip: BEGIN, the instrument lock (including the wait for it) and the reads.");

    public static readonly Histogram<double> BatchWriteDuration = Meter.CreateHistogram<double>(
        "marketmakers.orders.batch_write_duration", "ms", "A committed batch's last round trip: every insert and update, its tickets, and COMMIT.");
}
