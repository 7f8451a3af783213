using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Ledger;

namespace MarketMakers.Web.Api.Clients;

public sealed record ClientUserResponse(ClientUserView User, string TicketId);

public sealed record ClientDepositResponse(HolderTransactionView Transaction, BalanceView NewBalance, string TicketId);

public sealed record ClientListResponse(int Total, IReadOnlyList<ClientView> Users);

/// <summary>SPEC §7 client administration: create a client user with its entity, and fund it with EUR.</summary>
public static class ClientApi
{
    public static void MapClientApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/users").WithTags("Clients");
        g.MapGet("", ListAsync).WithName("ListClientUsers").Produces<ClientListResponse>();
        g.MapPost("", CreateAsync).WithName("CreateClientUser").AcceptsJson<CreateClientUserBody>()
            .Produces<ClientUserResponse>().Produces<ErrorBody>(409).Produces<ErrorBody>(422);
        g.MapPost("/{id}/deposits", DepositAsync).WithName("DepositClientEur").AcceptsJson<ClientDepositBody>()
            .Produces<ClientDepositResponse>().Produces<ErrorBody>(400).Produces<ErrorBody>(404).Produces<ErrorBody>(422);
    }

    public sealed record CreateClientUserBody(string Email, string Password, string FirstName, string LastName, string Role, string EntityName);

    public sealed record ClientDepositBody(decimal Amount, string? Notes);

    private static async Task<IResult> ListAsync(ClientService clients, string? search, string? limit, string? offset, CancellationToken ct)
    {
        var page = await clients.ListAsync(search, Query.Page(limit, offset), ct);
        return Results.Ok(new ClientListResponse(page.Total, page.Items));
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, ClientService clients, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        CreateClientUserRequest request;
        try
        {
            var body = JsonBody.Parse(raw, http);
            request = new CreateClientUserRequest(
                body.String("email"), body.String("password"), body.String("first_name"), body.String("last_name"),
                body.String("role"), body.String("entity_name"));
        }
        catch (DomainException ex)
        {
            throw await runner.RejectAsync(ClientService.CreateDraft(JsonBody.ForAudit(raw)), ex, ct);
        }

        var result = await clients.CreateUserAsync(request, ct);
        return Results.Ok(new ClientUserResponse(result.Value, result.TicketId));
    }

    private static async Task<IResult> DepositAsync(string id, HttpRequest http, ClientService clients, BusinessActionRunner runner, CancellationToken ct)
    {
        var raw = await JsonBody.ReadTextAsync(http, ct);
        decimal? amount;
        string? notes;
        IDisposable? idempotency;
        try
        {
            idempotency = IdempotentCommand.Use<HolderTransactionResult>(http, raw, Shape);
            var body = JsonBody.Parse(raw, http);
            amount = body.Decimal("amount");
            notes = body.String("notes");
        }
        catch (DomainException ex)
        {
            throw await runner.RejectAsync(ClientService.TransactionDraft(id, "DEPOSIT", JsonBody.ForAudit(raw)), ex, ct);
        }

        using (idempotency)
        {
            var result = await clients.DepositEurAsync(id, amount, notes, ct);
            return Results.Ok(Shape(result.Value, result.TicketId));
        }

        static ClientDepositResponse Shape(HolderTransactionResult value, string ticketId) => new(value.Transaction, value.NewBalance, ticketId);
    }
}
