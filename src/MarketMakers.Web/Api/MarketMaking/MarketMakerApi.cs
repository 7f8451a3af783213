using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.MarketMaking;

namespace MarketMakers.Web.Api.MarketMaking;

public sealed record MarketMakerResponse(MarketMakerView MarketMaker, string TicketId);

public sealed record MarketMakerListResponse(int Total, IReadOnlyList<MarketMakerView> MarketMakers);

public sealed record TransactionResponse(TransactionView Transaction, BalanceView NewBalance, string TicketId);

public sealed record TransactionListResponse(int Total, IReadOnlyList<TransactionView> Transactions);

public sealed record SuccessResponse(bool Success, string TicketId);

/// <summary>
/// SPEC §7 Market Maker endpoints. Bodies and ids are parsed here so that bad input becomes a 422 with a FAILED
/// ticket; every rule lives in <see cref="MarketMakerService"/>, which the pages call too.
/// </summary>
public static class MarketMakerApi
{
    public static void MapMarketMakerApi(this RouteGroupBuilder admin)
    {
        var mm = admin.MapGroup("/market-makers").WithTags("Market Makers");
        mm.MapGet("", ListAsync).WithName("ListMarketMakers").Produces<MarketMakerListResponse>();
        mm.MapPost("", CreateAsync).WithName("CreateMarketMaker").AcceptsJson<CreateMarketMakerRequest>()
            .Produces<MarketMakerResponse>().Produces<ErrorBody>(422).Produces<ErrorBody>(409);
        mm.MapGet("/{id}", GetAsync).WithName("GetMarketMaker").Produces<MarketMakerView>().Produces<ErrorBody>(404);
        mm.MapPut("/{id}", UpdateAsync).WithName("UpdateMarketMaker").AcceptsJson<UpdateMarketMakerRequest>()
            .Produces<MarketMakerResponse>().Produces<ErrorBody>(404).Produces<ErrorBody>(422);
        mm.MapDelete("/{id}", DeleteAsync).WithName("DeleteMarketMaker").Produces<SuccessResponse>().Produces<ErrorBody>(404);
        mm.MapGet("/{id}/transactions", ListTransactionsAsync).WithName("ListMarketMakerTransactions")
            .Produces<TransactionListResponse>().Produces<ErrorBody>(404);
        mm.MapPost("/{id}/transactions", TransactAsync).WithName("CreateMarketMakerTransaction")
            .AcceptsJson<LedgerTransactionRequest>()
            .Produces<TransactionResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(422);
        mm.MapGet("/{id}/balances", BalancesAsync).WithName("GetMarketMakerBalances")
            .Produces<IReadOnlyDictionary<string, BalanceView>>().Produces<ErrorBody>(404);
    }

    private static async Task<IResult> ListAsync(
        MarketMakerService service, string? search, string? limit, string? offset, CancellationToken ct)
    {
        var page = await service.ListAsync(search, Query.Page(limit, offset), ct);
        return Results.Ok(new MarketMakerListResponse(page.Total, page.Items));
    }

    private static async Task<IResult> GetAsync(string id, MarketMakerService service, CancellationToken ct) =>
        await service.GetAsync(MarketMakerService.ParseId(id), ct) is { } view ? Results.Ok(view) : NotFound(id);

    private static async Task<IResult> BalancesAsync(string id, MarketMakerService service, CancellationToken ct) =>
        await service.GetBalancesAsync(MarketMakerService.ParseId(id), ct) is { } balances ? Results.Ok(balances) : NotFound(id);

    private static async Task<IResult> ListTransactionsAsync(
        string id, MarketMakerService service, string? certificate_type, string? limit, string? offset, CancellationToken ct) =>
        await service.GetTransactionsAsync(MarketMakerService.ParseId(id), certificate_type, Query.Page(limit, offset), ct) is { } page
            ? Results.Ok(new TransactionListResponse(page.Total, page.Items))
            : NotFound(id);

    private static async Task<IResult> CreateAsync(HttpRequest http, MarketMakerService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        CreateMarketMakerRequest request;
        try
        {
            var body = JsonBody.Parse(raw, http);
            request = new CreateMarketMakerRequest(
                body.String("name"), body.String("email"), body.String("description"), body.DecimalMap("initial_balances"));
        }
        catch (DomainException ex)
        {
            var draft = new TicketDraft(ActionTypes.MmCreated, EntityTypes.MarketMaker) { Request = JsonBody.ForAudit(raw) };
            throw await runner.RejectAsync(draft, ex, ct);
        }

        var result = await service.CreateAsync(request, ct);
        return Results.Ok(new MarketMakerResponse(result.Value, result.TicketId));
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpRequest http, MarketMakerService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        UpdateMarketMakerRequest request;
        try
        {
            var body = JsonBody.Parse(raw, http);
            request = new UpdateMarketMakerRequest(body.String("name"), body.String("description"), body.Bool("is_active"));
        }
        catch (DomainException ex)
        {
            var draft = new TicketDraft(ActionTypes.MmUpdated, EntityTypes.MarketMaker) { EntityId = id, Request = JsonBody.ForAudit(raw) };
            throw await runner.RejectAsync(draft, ex, ct);
        }

        var result = await service.UpdateAsync(id, request, ct);
        return Results.Ok(new MarketMakerResponse(result.Value, result.TicketId));
    }

    private static async Task<IResult> DeleteAsync(string id, MarketMakerService service, CancellationToken ct)
    {
        var result = await service.DeactivateAsync(id, ct);
        return Results.Ok(new SuccessResponse(true, result.TicketId));
    }

    private static async Task<IResult> TransactAsync(
        string id, HttpRequest http, MarketMakerService service, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        LedgerTransactionRequest request;
        IDisposable? idempotency;
        try
        {
            idempotency = IdempotentCommand.Use<TransactionResult>(http, raw, Shape);
            var body = JsonBody.Parse(raw, http);
            request = new LedgerTransactionRequest(
                body.String("certificate_type"), body.String("transaction_type"), body.Decimal("amount"), body.String("notes"));
        }
        catch (DomainException ex)
        {
            var draft = MarketMakerService.TransactionDraft(id, JsonBody.PeekString(raw, "transaction_type"), JsonBody.ForAudit(raw));
            throw await runner.RejectAsync(draft, ex, ct);
        }

        using (idempotency)
        {
            var result = await service.TransactAsync(id, request, ct);
            return Results.Ok(Shape(result.Value, result.TicketId));
        }

        static TransactionResponse Shape(TransactionResult value, string ticketId) => new(value.Transaction, value.NewBalance, ticketId);
    }

    private static IResult NotFound(string id) => ApiJson.Error(StatusCodes.Status404NotFound, $"Market Maker {id} not found.");
}
