using MarketMakers.Core.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MarketMakers.Web.Telemetry;

/// <summary>Counts open Blazor circuits: each holds server memory and a SignalR connection.</summary>
internal sealed class CircuitTelemetryHandler : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        MarketMakersTelemetry.ActiveCircuits.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        MarketMakersTelemetry.ActiveCircuits.Add(-1);
        return Task.CompletedTask;
    }
}
