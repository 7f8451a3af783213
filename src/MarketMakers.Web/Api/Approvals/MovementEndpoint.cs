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
        // Whether the movement executes or waits for a second admin is the service's decision, as it is for the pages.
        var result = await AuditedCommand.RunAsync(http, parse, i => approvals.RefusedTicket(refusedTicket(i)), approvals.SubmitAsync, Shape);
        return result.Result switch
        {
            Ok<object> { Value: MovementRequestResponse requested } => TypedResults.Accepted((string?)null, requested),
            Ok<object> { Value: TransactionResponse executed } => TypedResults.Ok(executed),
            // The key store records every committed first response as 200; a replay of a request is 202 like the first answer.
            ReplayedResponse replay when approvals.Enabled => new ReplayedResponse(replay.Stored with { StatusCode = StatusCodes.Status202Accepted }),
            ReplayedResponse replay => replay,
            Refusal refusal => refusal,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    /// <summary>The first answer, also what a key stores for its replay (serialized as its runtime type).</summary>
    private static object Shape(MovementOutcome outcome, string ticketId) => outcome.Requested is { } request
        ? new MovementRequestResponse(request, ticketId)
        : new TransactionResponse(outcome.Executed!.Transaction, outcome.Executed.NewBalance, ticketId);
}
