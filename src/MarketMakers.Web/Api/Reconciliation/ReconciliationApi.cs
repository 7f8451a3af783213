using MarketMakers.Core.Ledger;

namespace MarketMakers.Web.Api.Reconciliation;

public static class ReconciliationApi
{
    public static void MapReconciliationApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/reconciliation", async (ReconciliationService service, CancellationToken ct) =>
                Results.Ok(await service.RunAsync(ct)))
            .WithName("Reconcile")
            .WithTags("Reconciliation")
            .Produces<ReconciliationReport>();
}
