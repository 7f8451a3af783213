using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;


namespace MarketMakers.Tests.Logging;

public sealed partial class AuditCoverageTests
{
    /// <summary>Market Makers, markets, approvals and orders: the endpoints that move or reserve assets.</summary>
    private Dictionary<string, Case> MarketCases() => new()
    {
        ["POST /api/v1/admin/market-makers"] = new(
            admin => Ready(() => admin.PostAsJsonAsync(MmApi.Base, new { name = $"MM {Guid.NewGuid():N}", email = MmApi.UniqueEmail("cov"), description = "coverage" })),
            admin => Ready(() => admin.PostAsJsonAsync(MmApi.Base, new { email = MmApi.UniqueEmail("cov") }))),

        ["PUT /api/v1/admin/market-makers/{id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}", new { name = $"Renamed {Guid.NewGuid():N}", description = "renamed" });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{MmApi.Base}/{Guid.NewGuid()}", new { name = "Ghost" }))),

        ["DELETE /api/v1/admin/market-makers/{id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.DeleteAsync($"{MmApi.Base}/{mm}");
            },
            admin => Ready(() => admin.DeleteAsync($"{MmApi.Base}/{Guid.NewGuid()}"))),

        ["PUT /api/v1/admin/market-makers/{id}/obligations/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/obligations/CEA", new { max_spread = 1.5m, min_quantity = 10, min_presence_pct = 90 });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{MmApi.Base}/{Guid.NewGuid()}/obligations/CEA", new { max_spread = 0, min_quantity = 10, min_presence_pct = 90 })),
            "OBLIGATION_CHANGED",
            "OBLIGATION_CHANGED"),

        // An MM with no quotes yet: a replace with no levels (and a pull) writes exactly its QUOTES_REPLACED ticket.
        ["PUT /api/v1/admin/market-makers/{id}/quotes/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/quotes/CEA", new { bids = Array.Empty<object>(), asks = Array.Empty<object>() });
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PutAsJsonAsync($"{MmApi.Base}/{mm}/quotes/CEA", new { bids = new[] { new { price = "0", quantity = 1 } } });
            },
            "QUOTES_REPLACED",
            "QUOTES_REPLACED"),

        ["DELETE /api/v1/admin/market-makers/{id}/quotes/{certificate_type}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.DeleteAsync($"{MmApi.Base}/{mm}/quotes/CEA");
            },
            admin => Ready(() => admin.DeleteAsync($"{MmApi.Base}/{Guid.NewGuid()}/quotes/CEA")),
            "QUOTES_REPLACED",
            "QUOTES_REPLACED"),

        // Each market case sets the state it needs first (its own tickets), so the order of the cases does not matter.
        ["POST /api/v1/admin/markets/{certificate_type}/halt"] = new(
            async admin =>
            {
                await Risk.RiskApi.ResumeAsync(admin, "EUA", "coverage: make sure it is open");
                return () => Risk.RiskApi.HaltAsync(admin, "EUA", "coverage");
            },
            admin => Ready(() => Risk.RiskApi.HaltAsync(admin, "EUA", "")),
            "MARKET_HALTED",
            "MARKET_HALTED"),

        ["POST /api/v1/admin/markets/{certificate_type}/resume"] = new(
            async admin =>
            {
                await Risk.RiskApi.HaltAsync(admin, "EUA", "coverage: make sure it is halted");
                return () => Risk.RiskApi.ResumeAsync(admin, "EUA", "coverage");
            },
            admin => Ready(() => Risk.RiskApi.ResumeAsync(admin, "XYZ", "coverage")),
            "MARKET_RESUMED",
            "MARKET_RESUMED"),

        ["PUT /api/v1/admin/markets/{certificate_type}/limits"] = new(
            admin => Ready(() => Risk.RiskApi.SetLimitsAsync(admin, "EUA", 100, null, 1_000_000_000, "1000000000000.00")),
            admin => Ready(() => Risk.RiskApi.SetLimitsAsync(admin, "EUA", 101, null, 10, "10.00")),
            "RISK_LIMITS_CHANGED",
            "RISK_LIMITS_CHANGED"),

        ["POST /api/v1/admin/approvals/{id}/approve"] = new(
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => admin.PostAsync($"{Approvals.FourEyesApi.Base}/{request}/approve", null);
            },
            admin => Ready(() => admin.PostAsync($"{Approvals.FourEyesApi.Base}/{Guid.NewGuid()}/approve", null)),
            "LEDGER_MOVEMENT_APPROVED",
            "LEDGER_MOVEMENT_APPROVED"),

        ["POST /api/v1/admin/approvals/{id}/reject"] = new(
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => Approvals.FourEyesApi.RejectAsync(admin, request, "coverage");
            },
            async admin =>
            {
                var request = await Approvals.FourEyesApi.SeedPendingAsync(app, await MmApi.CreateAsync(admin, tag: "cov"));
                return () => Approvals.FourEyesApi.RejectAsync(admin, request, null);
            },
            "LEDGER_MOVEMENT_REJECTED",
            "LEDGER_MOVEMENT_REJECTED"),

        ["POST /api/v1/admin/market-makers/{id}/transactions"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => MmApi.TransactAsync(admin, mm, "CEA", "DEPOSIT", "10", "coverage");
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => MmApi.TransactAsync(admin, mm, "CEA", "WITHDRAWAL", "10");
            }),

        ["POST /api/v1/admin/market-orders"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                return () => OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "1");
            },
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                return () => OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "0");
            }),

        ["DELETE /api/v1/admin/market-orders/{order_id}"] = new(
            async admin =>
            {
                var mm = await MmApi.CreateAsync(admin, new Dictionary<string, object> { ["CEA"] = "100" }, "cov");
                var order = await OrderApi.OkAsync(await OrderApi.PlaceMmAsync(admin, mm, "CEA", "900", "1"));
                var id = order.GetProperty("order").GetProperty("id").GetString();
                return () => admin.DeleteAsync($"{OrderApi.MarketOrders}/{id}");
            },
            admin => Ready(() => admin.DeleteAsync($"{OrderApi.MarketOrders}/{Guid.NewGuid()}"))),

        ["POST /api/v1/admin/market-orders/cancel-all"] = new(
            async admin =>
            {
                // One instrument and no open order: exactly its one MASS_CANCEL ticket.
                var mm = await MmApi.CreateAsync(admin, tag: "cov");
                return () => admin.PostAsJsonAsync($"{OrderApi.MarketOrders}/cancel-all", new { market_maker_id = mm, certificate_type = "CEA" });
            },
            admin => Ready(() => admin.PostAsJsonAsync($"{OrderApi.MarketOrders}/cancel-all", new { side = "HOLD" })),
            "MASS_CANCEL",
            "MASS_CANCEL"),

        ["POST /api/v1/cash-market/orders"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "1");
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "-1");
            }),

        ["DELETE /api/v1/cash-market/orders/{id}"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                var order = await OrderApi.OkAsync(await OrderApi.PlaceClientAsync(client.Http, "CEA", "BUY", "1", "1"));
                var id = order.GetProperty("order").GetProperty("id").GetString();
                return () => client.Http.DeleteAsync($"{OrderApi.CashOrders}/{id}");
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, eur: "1000");
                return () => client.Http.DeleteAsync($"{OrderApi.CashOrders}/{Guid.NewGuid()}");
            }),
    };
}
