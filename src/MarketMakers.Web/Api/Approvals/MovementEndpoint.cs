using MarketMakers.Core.Approvals;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Ledger;
using MarketMakers.Web.Api.MarketMaking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Approvals;

/// <summary>A movement answered 202: the pending request and its LEDGER_MOVEMENT_REQUESTED ticket.</summary>
public sealed record MovementRequestResponse(MovementRequestView Request, string TicketId);

/// <summary>
/// The manual movement endpoints (an MM's transactions, a client's deposits): with four-eyes on, the movement becomes
/// a pending request and the answer is 202; off, it executes at once and answers 200 as before (SPEC §3a, §7).
/// </summary>
public static class MovementEndpoint
{
    public static async Task<Results<Ok<TransactionResponse>, Accepted<MovementRequestResponse>, ReplayedResponse, Refusal>> RunAsync(
        HttpContext http, ApprovalService approvals, Func<CommandInput, MoveAssets> parse, Func<CommandInput, TicketDraft> refusedTicket)
    {
        if (!approvals.Enabled)
        {
            var movements = http.RequestServices.GetRequiredService<LedgerMovementService>();
            var executed = await AuditedCommand.RunAsync(
                http, parse, refusedTicket, movements.MoveAsync, (r, ticketId) => new TransactionResponse(r.Transaction, r.NewBalance, ticketId));
            return executed.Result switch
            {
                Ok<TransactionResponse> ok => ok,
                ReplayedResponse replay => replay,
                Refusal refusal => refusal,
                _ => throw new InvalidOperationException("Unexpected result."),
            };
        }

        var requested = await AuditedCommand.RunAsync(
            http, i => new RequestMovement(parse(i)), i => RequestMovement.Ticket(refusedTicket(i)), approvals.RequestAsync,
            (view, ticketId) => new MovementRequestResponse(view, ticketId));
        return Accepted(requested);
    }

    /// <summary>
    /// 200 becomes 202. The key store records every committed first response as 200; a replay of a request is 202
    /// like the first answer.
    /// </summary>
    public static Results<Ok<TransactionResponse>, Accepted<MovementRequestResponse>, ReplayedResponse, Refusal> Accepted(
        Results<Ok<MovementRequestResponse>, ReplayedResponse, Refusal> result) => result.Result switch
    {
        Ok<MovementRequestResponse> ok => TypedResults.Accepted((string?)null, ok.Value!),
        ReplayedResponse replay => new ReplayedResponse(replay.Stored with { StatusCode = StatusCodes.Status202Accepted }),
        Refusal refusal => refusal,
        _ => throw new InvalidOperationException("Unexpected result."),
    };
}
