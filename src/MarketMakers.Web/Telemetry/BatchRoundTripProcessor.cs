using System.Diagnostics;
using System.Runtime.CompilerServices;
using MarketMakers.Core.Telemetry;
using OpenTelemetry;

namespace MarketMakers.Web.Telemetry;

/// <summary>
/// Fills in the order batch span's round trips: every Npgsql span under it is one round trip to PostgreSQL (a
/// command or an NpgsqlBatch), so the count is what the database saw, not what the code meant to send. Children end
/// before their parent, so the tag is complete when the batch span ends and is exported.
/// </summary>
internal sealed class BatchRoundTripProcessor : BaseProcessor<Activity>
{
    private const string CounterProperty = "marketmakers.round_trips";

    public override void OnEnd(Activity activity)
    {
        if (activity.Source.Name == MarketMakersTelemetry.SourceName && activity.OperationName == MarketMakersTelemetry.OrderBatchSpan)
        {
            var count = activity.GetCustomProperty(CounterProperty) is StrongBox<int> box ? box.Value : 0;
            activity.SetTag(MarketMakersTelemetry.BatchRoundTripsTag, count);
            return;
        }

        if (activity.Source.Name != "Npgsql")
        {
            return;
        }

        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source.Name == MarketMakersTelemetry.SourceName && parent.OperationName == MarketMakersTelemetry.OrderBatchSpan)
            {
                // One batch runs on one drainer at a time, but be safe against a future parallel child.
                lock (parent)
                {
                    if (parent.GetCustomProperty(CounterProperty) is not StrongBox<int> box)
                    {
                        box = new StrongBox<int>();
                        parent.SetCustomProperty(CounterProperty, box);
                    }

                    box.Value++;
                }

                return;
            }
        }
    }
}
