using MarketMakers.Core.Ledger;
using MarketMakers.Web.OpenApi;

namespace MarketMakers.Web.Api.Reconciliation;

public static class ReconciliationApi
{
    public static void MapReconciliationApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/reconciliation", async (ReconciliationService service, CancellationToken ct) =>
                TypedResults.Ok(await service.RunAsync(ct)))
            .WithName("Reconcile")
            .WithTags(ApiTags.Reconciliation)
            .Documented("Reconcile the ledger", "Checks every invariant: available equals the sum of each holder's rows and the newest balance_after, locked equals what open orders hold, nothing is negative, and certificates are conserved. `mismatches` is empty when all hold.");
}
