using MarketMakers.Core.Audit;
using MarketMakers.Core.Approvals;
using MarketMakers.Core.Clients;
using MarketMakers.Core.Identity;
using MarketMakers.Core.Ledger;
using MarketMakers.Web.Api.Approvals;
using MarketMakers.Web.Api.MarketMaking;
using MarketMakers.Web.Api.Staff;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Clients;

public sealed record ClientUserResponse(ClientUserView User, string TicketId);

public sealed record ClientAccessResponse(ClientAccessView User, string TicketId);

public sealed record ClientListResponse(int Total, IReadOnlyList<ClientView> Users);

/// <summary>Client administration: create a client user with its entity, and fund it with EUR.</summary>
public static class ClientApi
{
    public static void MapClientApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/users").WithTags(ApiTags.Clients);
        g.MapGet("", ListAsync).WithName("ListClientUsers")
            .Documented("List client users", "Client users newest first, with their entity, role and EUR balance; `search` matches email, name or entity.");
        g.MapPost("", (HttpContext http, ClientService clients) => AuditedCommand.RunAsync(
                http, ParseCreate, i => CreateClientUser.Ticket(i.ForAudit()), clients.CreateUserAsync, (user, ticketId) => new ClientUserResponse(user, ticketId)))
            .Desk(ActionTypes.UserCreated, EntityTypes.User).WithName("CreateClientUser")
            .AcceptsJson(new CreateClientUserBody("trader@example.com", "correct horse battery staple", "Grace", "Hopper", "FUNDED", "Hopper Trading GmbH"))
            .Documented("Create a client user", "Creates a client user and its entity (the ledger holder) with the role PENDING, APPROVED or FUNDED (USER_CREATED ticket). Only FUNDED users can trade. A duplicate email is a 409.");
        g.MapPost("/{id}/deposits", (HttpContext http, ApprovalService approvals) => MovementEndpoint.RunAsync(http, approvals, ParseDeposit, RefusedDeposit))
            .Desk(ActionTypes.AssetDeposit, EntityTypes.AssetTransaction).WithName("DepositClientEur")
            .AcceptsJson(new ClientDepositBody(20000.00m, "Wire 2026-12-07"))
            .Documented("Deposit EUR for a client", "Funds the client's entity with EUR (2 decimals). With four-eyes off it executes at once: 200 with the ledger row and the new balance (ASSET_DEPOSIT ticket). With four-eyes on it becomes a pending movement request: 202 (LEDGER_MOVEMENT_REQUESTED ticket).");
        g.MapPut("/{id}", (HttpContext http, ClientLifecycleService lifecycle) => AuditedCommand.RunAsync(
                http, ParseAccessChange, StaffApi.RefusedAccessChange("client"), lifecycle.UpdateAsync, (user, ticketId) => new ClientAccessResponse(user, ticketId)))
            .Desk(StaffApi.AccessChangeTypeOfBody, EntityTypes.User).WithName("UpdateClientUser")
            .AcceptsJson(new StaffApi.AccessChangeBody(Role: "FUNDED"))
            .Documented("Change a client's role or access", "Changes the role (PENDING, APPROVED, FUNDED) and/or deactivates or reactivates the client (USER_ROLE_CHANGED or USER_DEACTIVATED ticket). Deactivating, or leaving FUNDED, cancels the client's open orders; their sessions end.");
    }

    public sealed record CreateClientUserBody(string Email, string Password, string FirstName, string LastName, string Role, string EntityName);

    public sealed record ClientDepositBody(decimal Amount, string? Notes = null);

    private static UpdateClientUser ParseAccessChange(CommandInput input) => new(AccessChange.Parse(
        UserId.Parse(input.Route("id")), input.Body.String("role"), input.Body.Bool("is_active"), Roles.Client, "client"));

    private static CreateClientUser ParseCreate(CommandInput input)
    {
        var body = input.Body;
        return CreateClientUser.Parse(
            body.String("email"), body.String("password"), body.String("first_name"), body.String("last_name"), body.String("role"), body.String("entity_name"));
    }

    /// <summary>Always EUR: clients are funded in cash, and certificates reach them only by trading.</summary>
    private static MoveAssets ParseDeposit(CommandInput input)
    {
        var holder = new LedgerHolder.ClientUser(UserId.Parse(input.Route("id")));
        var body = input.Body;
        return MoveAssets.Create(holder, MovementType.Deposit, Amount.Cash(body.Decimal("amount")), body.String("notes"));
    }

    private static Core.Audit.TicketDraft RefusedDeposit(CommandInput input)
    {
        var id = input.Route("id");
        LedgerHolder? holder = Guid.TryParse(id, out var user) ? new LedgerHolder.ClientUser(new UserId(user)) : null;
        return MoveAssets.Ticket(holder, TransactionTypes.Deposit, input.ForAudit(), id);
    }

    private static async Task<Ok<ClientListResponse>> ListAsync(ClientService clients, string? search, string? limit, string? offset, CancellationToken ct)
    {
        var page = await clients.ListAsync(search, Query.Page(limit, offset), ct);
        return TypedResults.Ok(new ClientListResponse(page.Total, page.Items));
    }
}
