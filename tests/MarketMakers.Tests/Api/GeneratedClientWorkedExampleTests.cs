using MarketMakers.Tests.Infrastructure;
using static MarketMakers.Tests.Api.GeneratedClient;

namespace MarketMakers.Tests.Api;

/// <summary>
/// The worked example (issue 4) through a client generated from <c>/openapi/v1.json</c> at test time: create a
/// Market Maker, fund it, SELL, a FUNDED client buys, cancel the rest, then the balances and the tickets. The
/// decimals travel as strings both ways, as the document says.
/// </summary>
/// <summary>A database of its own: the worked example reads the best ask, which other classes' orders would move.</summary>
public sealed class GeneratedClientAppFactory : AppFactory
{
    public override async Task InitializeAsync() => Postgres = await TestDatabase.CreateAsync("genclient");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(Postgres);
    }
}

public sealed class GeneratedClientWorkedExampleTests(GeneratedClientAppFactory app) : IClassFixture<GeneratedClientAppFactory>
{
    private static Dictionary<string, object?> F(params (string Name, object? Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    [Fact]
    public async Task The_worked_example_runs_through_a_client_generated_from_the_served_document()
    {
        var generated = await GenerateAsync(await OpenApiDocument.TextAsync(app));
        using var anonymousHttp = app.CreateApiClient();
        var anonymous = generated.For(anonymousHttp);

        // Sign in as the admin through the generated Login.
        var token = await anonymous.CallAsync("Login", generated.New("LoginRequest", F(("email", TestDatabase.AdminEmail), ("password", TestDatabase.AdminPassword))));
        Assert.Equal("bearer", Get(token!, "token_type"));
        using var adminHttp = app.CreateApiClient((string)Get(token!, "access_token")!);
        var admin = generated.For(adminHttp);

        // 1. A Market Maker, funded with 1000 CEA.
        var created = await admin.CallAsync("CreateMarketMaker", generated.New("CreateMarketMakerBody", F(("name", "Generated MM"), ("email", $"gen-{Guid.NewGuid():N}@test.local"))));
        var mm = (Guid)Get(created!, "market_maker", "id")!;
        Assert.StartsWith("TKT-", (string)Get(created!, "ticket_id")!);
        var funded = await admin.CallAsync("CreateMarketMakerTransaction",
            generated.New("LedgerTransactionBody", F(("certificate_type", "CEA"), ("transaction_type", "DEPOSIT"), ("amount", "1000"), ("notes", "worked example"))),
            F(("id", mm), ("Idempotency-Key", Guid.NewGuid().ToString())));
        Assert.Equal(1000m, Dec(Get(funded!, "new_balance", "available")));

        // 2. The desk SELLs 300 @ 70.00 for it.
        var sell = await admin.CallAsync("PlaceMarketMakerOrder", generated.New("PlaceMarketMakerOrderBody",
            F(("market_maker_id", mm), ("certificate_type", "CEA"), ("side", "SELL"), ("order_type", "LIMIT"), ("price", "70.00"), ("quantity", 300L))));
        var sellOrder = Get(sell!, "order")!;
        Assert.Equal(("OPEN", 70.00m), ((string)Get(sellOrder, "status")!, Dec(Get(sellOrder, "price"))));
        var sellTicket = (string)Get(sell!, "ticket_id")!;
        var book = await anonymous.CallAsync("CashMarketOrderBook", args: F(("certificate_type", "CEA")));
        Assert.Equal(70.00m, Dec(Get(book!, "best_ask")));

        // 3. A FUNDED client with 20,000.00 EUR BUYs 200 @ 71.00: it trades 200 at the resting 70.00.
        var email = $"gen-buyer-{Guid.NewGuid():N}@test.local";
        var user = await admin.CallAsync("CreateClientUser", generated.New("CreateClientUserBody", F(
            ("email", email), ("password", UserFactory.DefaultPassword), ("first_name", "Gen"), ("last_name", "Buyer"), ("role", "FUNDED"), ("entity_name", $"Gen {Guid.NewGuid():N}"))));
        var userId = (Guid)Get(user!, "user", "id")!;
        await admin.CallAsync("DepositClientEur", generated.New("ClientDepositBody", F(("amount", "20000.00"))), F(("id", userId)));
        var buyerToken = await anonymous.CallAsync("Login", generated.New("LoginRequest", F(("email", email), ("password", UserFactory.DefaultPassword))));
        using var buyerHttp = app.CreateApiClient((string)Get(buyerToken!, "access_token")!);
        var buyer = generated.For(buyerHttp);
        var bought = await buyer.CallAsync("PlaceClientOrder", generated.New("PlaceClientOrderBody",
            F(("certificate_type", "CEA"), ("side", "BUY"), ("order_type", "LIMIT"), ("price", "71.00"), ("quantity", 200L))));
        Assert.Equal(("FILLED", 200L), ((string)Get(bought!, "order", "status")!, (long)Get(bought!, "order", "filled_quantity")!));
        var trade = Assert.Single((System.Collections.IEnumerable)Get(bought!, "trades")!)!;
        Assert.Equal((70.00m, 200L), (Dec(Get(trade, "price")), (long)Get(trade, "quantity")!));
        var buyTicket = (string)Get(bought!, "ticket_id")!;
        var tradeTicket = (string)Get(trade, "ticket_id")!;

        // 4. Refusals come back as the documented error body: an unknown instrument is a 422 with its FAILED ticket.
        var (status, error) = await buyer.RefusedAsync("PlaceClientOrder", generated.New("PlaceClientOrderBody",
            F(("certificate_type", "XYZ"), ("side", "BUY"), ("order_type", "LIMIT"), ("price", "71.00"), ("quantity", 1L))));
        Assert.Equal(422, status);
        Assert.StartsWith("TKT-", (string)Get(error!, "ticket_id")!);
        Assert.False(string.IsNullOrWhiteSpace((string?)Get(error!, "detail")));

        // 5. The desk cancels the unfilled 100.
        var cancelled = await admin.CallAsync("CancelMarketMakerOrder", args: F(("order_id", (Guid)Get(sellOrder, "id")!)));
        Assert.True((bool)Get(cancelled!, "success")!);
        var cancelTicket = (string)Get(cancelled!, "ticket_id")!;

        // 6. Balances: the MM 800 CEA and 14,000.00 EUR; the buyer 200 CEA and 6,000.00 EUR (the 1.00 × 200 improvement back).
        var mmBalances = (await admin.CallAsync("GetMarketMakerBalances", args: F(("id", mm))))!;
        Assert.Equal((800m, 0m, 800m), Figures(Entry(mmBalances, "CEA")));
        Assert.Equal((14000m, 0m, 14000m), Figures(Entry(mmBalances, "EUR")));
        var buyerBalances = (await buyer.CallAsync("GetClientBalances"))!;
        Assert.Equal((200m, 0m, 200m), Figures(Entry(buyerBalances, "CEA")));
        Assert.Equal((6000m, 0m, 6000m), Figures(Entry(buyerBalances, "EUR")));

        // 7. The tickets, read back through the generated client.
        foreach (var (ticketId, action) in new[] { (sellTicket, "MM_ORDER_PLACED"), (buyTicket, "ORDER_PLACED"), (tradeTicket, "TRADE_EXECUTED"), (cancelTicket, "MM_ORDER_CANCELLED") })
        {
            var ticket = (await admin.CallAsync("GetTicket", args: F(("ticketId", ticketId))))!;
            Assert.Equal((action, "SUCCESS"), ((string)Get(ticket, "action_type")!, (string)Get(ticket, "status")!));
        }

        var executed = (await admin.CallAsync("GetTicket", args: F(("ticketId", tradeTicket))))!;
        Assert.Equal(new[] { buyTicket, sellTicket }, ((IEnumerable<string>)Get(executed, "related_ticket_ids")!).ToArray());
        var mmView = (await admin.CallAsync("GetMarketMaker", args: F(("id", mm))))!;
        Assert.Equal((1, 1), ((int)Get(mmView, "total_orders")!, (int)Get(mmView, "total_trades")!));

        var reconciliation = (await admin.CallAsync("Reconcile"))!;
        Assert.Empty((System.Collections.IEnumerable)Get(reconciliation, "mismatches")!);
    }

    private static decimal Dec(object? value) => decimal.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture);

    private static (decimal, decimal, decimal) Figures(object balance) =>
        (Dec(Get(balance, "available")), Dec(Get(balance, "locked")), Dec(Get(balance, "total")));
}
