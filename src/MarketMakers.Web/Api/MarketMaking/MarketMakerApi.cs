using System.Text.Json.Serialization;
using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;
using MarketMakers.Web.Api.Approvals;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.MarketMaking;

public sealed record MarketMakerResponse(MarketMakerView MarketMaker, string TicketId);

/// <summary>A created Market Maker; <c>requests</c> (the pending initial balances) only when four-eyes is on.</summary>
public sealed record MarketMakerCreatedResponse(
    MarketMakerView MarketMaker,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MovementRequestView>? Requests,
    string TicketId);

public sealed record MarketMakerListResponse(int Total, IReadOnlyList<MarketMakerView> MarketMakers);

public sealed record TransactionResponse(TransactionView Transaction, BalanceView NewBalance, string TicketId);

public sealed record TransactionListResponse(int Total, IReadOnlyList<TransactionView> Transactions);

/// <summary>
/// Market Maker endpoints. Each mutation parses its body into a command here and runs it through
/// <see cref="AuditedCommand"/>; every rule lives in the services, which the pages call too.
/// </summary>
public static class MarketMakerApi
{
    public static void MapMarketMakerApi(this RouteGroupBuilder admin)
    {
        var mm = admin.MapGroup("/market-makers").WithTags(ApiTags.MarketMakers);
        mm.MapGet("", ListAsync).WithName("ListMarketMakers")
            .Documented("List Market Makers", "Market Makers newest first, with their current balances and order and trade counts. `search` matches name or email.");
        mm.MapPost("", (HttpContext http, MarketMakerService service) => AuditedCommand.RunAsync(
                http, ParseCreate, i => CreateMarketMaker.Ticket(i.ForAudit()), service.CreateWithRequestsAsync,
                (created, ticketId) => new MarketMakerCreatedResponse(created.MarketMaker, created.Requests, ticketId)))
            .Desk(ActionTypes.MmCreated, EntityTypes.MarketMaker).WithName("CreateMarketMaker")
            .AcceptsJson(new CreateMarketMakerBody("Nordic Liquidity AS", "desk@nordic-liquidity.example", "CEA and EUA liquidity", new Dictionary<string, decimal> { ["CEA"] = 1000m }))
            .Documented("Create a Market Maker", "Creates an active Market Maker (MM_CREATED ticket). `initial_balances` deposits each asset at once; with four-eyes on they become pending movement requests, listed in `requests`. A duplicate email is a 409.");
        mm.MapGet("/{id}", GetAsync).WithName("GetMarketMaker")
            .Documented("Get a Market Maker", "One Market Maker with its current balances per asset and its order and trade counts.");
        mm.MapPut("/{id}", (HttpContext http, MarketMakerService service) => AuditedCommand.RunAsync(
                http, ParseUpdate, i => UpdateMarketMaker.Ticket(i.Route("id"), i.ForAudit()), service.UpdateAsync, Shape))
            .Desk(ActionTypes.MmUpdated, EntityTypes.MarketMaker).WithName("UpdateMarketMaker")
            .AcceptsJson(new UpdateMarketMakerBody(Description: "CEA liquidity only", IsActive: true))
            .Documented("Update a Market Maker", "Changes the fields sent and leaves the others (MM_UPDATED ticket). `owner_group`: absent leaves it, null or \"\" removes the Market Maker from its group.");
        mm.MapDelete("/{id}", (HttpContext http, MarketMakerService service) => AuditedCommand.RunAsync(
                http, i => new DeactivateMarketMaker(MarketMakerId.Parse(i.Route("id"))), i => DeactivateMarketMaker.Ticket(i.Route("id")),
                service.DeactivateAsync, (_, ticketId) => new SuccessResponse(true, ticketId)))
            .Desk(ActionTypes.MmDeactivated, EntityTypes.MarketMaker).WithName("DeleteMarketMaker")
            .Documented("Deactivate a Market Maker", "Soft delete: the Market Maker becomes inactive and can place no more orders; its history and ledger stay (MM_DELETED ticket).");
        mm.MapGet("/{id}/transactions", ListTransactionsAsync).WithName("ListMarketMakerTransactions")
            .Documented("List a Market Maker's ledger rows", "The append-only asset transactions of a Market Maker, newest first; `certificate_type` (CEA, EUA or EUR) narrows them to one asset.")
            .Query("certificate_type", "Only this asset: CEA, EUA or EUR.", ParameterKind.Asset);
        mm.MapPost("/{id}/transactions", (HttpContext http, ApprovalService approvals) => MovementEndpoint.RunAsync(http, approvals, ParseMovement, RefusedMovement))
            .Desk(MovementTypeOfBody, EntityTypes.AssetTransaction).WithName("CreateMarketMakerTransaction")
            .AcceptsJson(new LedgerTransactionBody("CEA", "DEPOSIT", 1000m, "Initial funding"))
            .Documented("Deposit or withdraw assets", "A DEPOSIT or WITHDRAWAL of CEA, EUA or EUR for the Market Maker. With four-eyes off it executes at once: 200 with the ledger row and the new balance (ASSET_DEPOSIT or ASSET_WITHDRAWAL ticket). With four-eyes on it becomes a pending movement request: 202 with the request (LEDGER_MOVEMENT_REQUESTED ticket). A withdrawal above the available balance is a 400.");
        mm.MapGet("/{id}/balances", BalancesAsync).WithName("GetMarketMakerBalances")
            .Documented("Get a Market Maker's balances", "Available, locked and total per asset (CEA, EUA, EUR), read without scanning the history. With `as_of`, the balances as they stood at that instant.")
            .Query("as_of", "An ISO 8601 instant: the balances as they stood then.", ParameterKind.DateTime);
    }

    /// <summary>The documented bodies (for OpenAPI); the endpoints parse the raw JSON themselves.</summary>
    public sealed record CreateMarketMakerBody(
        string Name, string Email, string? Description = null, IReadOnlyDictionary<string, decimal>? InitialBalances = null, string? OwnerGroup = null);

    /// <summary><c>owner_group</c>: absent leaves it, null or "" takes the Market Maker out of its group.</summary>
    public sealed record UpdateMarketMakerBody(string? Name = null, string? Description = null, bool? IsActive = null, string? OwnerGroup = null);

    public sealed record LedgerTransactionBody(string CertificateType, string TransactionType, decimal Amount, string? Notes = null);

    private static string MovementTypeOfBody(string body) => MovementType.ActionTypeOf(JsonBody.PeekString(body, "transaction_type"));

    private static MarketMakerResponse Shape(MarketMakerView view, string ticketId) => new(view, ticketId);

    private static CreateMarketMaker ParseCreate(CommandInput input) => CreateMarketMaker.Parse(
        input.Body.String("name"), input.Body.String("email"), input.Body.String("description"), input.Body.DecimalMap("initial_balances"),
        input.Body.String("owner_group"));

    private static UpdateMarketMaker ParseUpdate(CommandInput input)
    {
        var id = MarketMakerId.Parse(input.Route("id"));
        var body = input.Body;
        // An explicit null clears the group, as "" does; only an absent field leaves it.
        var ownerGroup = body.Root.TryGetProperty("owner_group", out _) ? body.String("owner_group") ?? "" : null;
        return UpdateMarketMaker.Parse(id, body.String("name"), body.String("description"), body.Bool("is_active"), ownerGroup);
    }

    private static MoveAssets ParseMovement(CommandInput input)
    {
        var holder = new LedgerHolder.MarketMaker(MarketMakerId.Parse(input.Route("id")));
        var body = input.Body;
        return MoveAssets.Parse(holder, body.String("certificate_type"), body.String("transaction_type"), body.Decimal("amount"), body.String("notes"));
    }

    private static Core.Audit.TicketDraft RefusedMovement(CommandInput input)
    {
        var id = input.Route("id");
        LedgerHolder? holder = Guid.TryParse(id, out var mm) ? new LedgerHolder.MarketMaker(new MarketMakerId(mm)) : null;
        var draft = MoveAssets.Ticket(holder, input.Peek("transaction_type"), input.ForAudit(), id);
        return draft;
    }

    private static async Task<Ok<MarketMakerListResponse>> ListAsync(
        MarketMakerQueries service, string? search, string? limit, string? offset, CancellationToken ct)
    {
        var page = await service.ListAsync(search, Query.Page(limit, offset), ct);
        return TypedResults.Ok(new MarketMakerListResponse(page.Total, page.Items));
    }

    private static async Task<Results<Ok<MarketMakerView>, NotFound<ErrorBody>>> GetAsync(string id, MarketMakerQueries service, CancellationToken ct) =>
        await service.GetAsync(MarketMakerId.Parse(id).Value, ct) is { } view ? TypedResults.Ok(view) : ApiJson.MarketMakerNotFound(id);

    private static async Task<Results<Ok<IReadOnlyDictionary<string, BalanceView>>, NotFound<ErrorBody>>> BalancesAsync(
        string id, string? as_of, MarketMakerQueries service, Core.Statements.StatementService statements, CancellationToken ct) =>
        as_of is not null ? await Statements.StatementApi.MarketMakerBalancesAsOfAsync(id, as_of, statements, ct)
        : await service.GetBalancesAsync(MarketMakerId.Parse(id).Value, ct) is { } balances ? TypedResults.Ok(balances) : ApiJson.MarketMakerNotFound(id);

    private static async Task<Results<Ok<TransactionListResponse>, NotFound<ErrorBody>>> ListTransactionsAsync(
        string id, MarketMakerQueries service, string? certificate_type, string? limit, string? offset, CancellationToken ct)
    {
        var asset = string.IsNullOrWhiteSpace(certificate_type) ? null : Asset.Parse(certificate_type);
        return await service.GetTransactionsAsync(MarketMakerId.Parse(id).Value, asset, Query.Page(limit, offset), ct) is { } page
            ? TypedResults.Ok(new TransactionListResponse(page.Total, page.Items))
            : ApiJson.MarketMakerNotFound(id);
    }
}
