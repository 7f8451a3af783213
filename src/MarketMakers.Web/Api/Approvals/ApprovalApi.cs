using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Approvals;

public sealed record MovementRequestListResponse(int Total, IReadOnlyList<MovementRequestView> Requests);

public sealed record ApprovalResponse(MovementRequestView Request, TransactionView Transaction, BalanceView NewBalance, string TicketId);

/// <summary>
/// The four-eyes queue: list requests, approve (executes the movement) or reject with a reason. The service checks
/// that the decider is an active ADMIN other than the requester; the route policy only keeps others out early.
/// </summary>
public static class ApprovalApi
{
    public static void MapApprovalApi(this RouteGroupBuilder admin)
    {
        var g = admin.MapGroup("/approvals").WithTags(ApiTags.Approvals);
        g.MapGet("", ListAsync).WithName("ListMovementRequests")
            .Documented("List movement requests", "Ledger movements waiting for, or past, a second admin's decision, newest first.")
            .Query("status", "Only requests in this state.", "PENDING", "APPROVED", "REJECTED", "EXPIRED", "FAILED");
        g.MapPost("/{id}/approve", (HttpContext http, ApprovalService approvals) => AuditedCommand.RunAsync(
                http, i => new ApproveMovement(MovementRequestId.Parse(i.Route("id"))), i => ApproveMovement.Ticket(i.Route("id")),
                approvals.ApproveAsync, (a, ticketId) => new ApprovalResponse(a.Request, a.Transaction, a.NewBalance, ticketId)))
            .AdminOnly(ActionTypes.LedgerMovementApproved, EntityTypes.MovementRequest).WithName("ApproveMovementRequest")
            .Documented("Approve a movement request", "Executes the pending movement in one transaction: the ledger row, the new state and the LEDGER_MOVEMENT_APPROVED ticket. The requester cannot approve their own request (403). A request already decided is a 409; a movement that now breaks a rule (an overdrawn withdrawal) fails the request (400).");
        g.MapPost("/{id}/reject", (HttpContext http, ApprovalService approvals) => AuditedCommand.RunAsync(
                http, i => RejectMovement.Parse(MovementRequestId.Parse(i.Route("id")), i.Body.String("reason")),
                i => RejectMovement.Ticket(i.Route("id"), i.ForAudit()), approvals.RejectAsync,
                (view, ticketId) => new MovementRequestResponse(view, ticketId)))
            .AdminOnly(ActionTypes.LedgerMovementRejected, EntityTypes.MovementRequest).WithName("RejectMovementRequest")
            .AcceptsJson(new RejectBody("The wire has not arrived."))
            .Documented("Reject a movement request", "Rejects the pending movement with a reason; nothing moves (LEDGER_MOVEMENT_REJECTED ticket). A request already decided is a 409.");
    }

    public sealed record RejectBody(string Reason);

    private static async Task<Ok<MovementRequestListResponse>> ListAsync(ApprovalQueries queries, string? status, string? limit, string? offset, CancellationToken ct)
    {
        var page = await queries.ListAsync(string.IsNullOrWhiteSpace(status) ? null : status, Query.Page(limit, offset), ct);
        return TypedResults.Ok(new MovementRequestListResponse(page.Total, page.Items));
    }
}
