using MarketMakers.Core;
using MarketMakers.Core.Audit.Checkpoints;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Logging;

/// <summary>
/// The signed audit checkpoints and the key they verify with, for the offline verifier (tools/MarketMakers.AuditVerify).
/// Read like the rest of the logging API: any staff role.
/// </summary>
public static class CheckpointApi
{
    public const string PemContentType = "application/x-pem-file";

    public static void MapCheckpointApi(this RouteGroupBuilder logging)
    {
        logging.MapGet("/checkpoints", async (HttpRequest r, CheckpointQueries q, CancellationToken ct) =>
                TypedResults.Ok(await q.ListAsync(TicketFilterBinder.Page(r.Query), ct)))
            .WithName("ListAuditCheckpoints")
            .WithSummary("Signed heads of the audit chain, newest first")
            .WithDescription("Each checkpoint is an ECDSA P-256 signature (DER, base64) over the chain digest at last_ticket_id, made with a key kept "
                + "outside the database. Save the list and check it with tools/MarketMakers.AuditVerify. Takes limit and offset.");
        logging.MapGet("/checkpoints/public-key", Results<ContentHttpResult, NotFound<ErrorBody>> (AuditCheckpointer checkpointer, HttpResponse response) =>
            {
                if (checkpointer.Key is not { } key)
                {
                    return ApiJson.NotFound("Audit checkpoints are not configured (Audit:CheckpointKeyPath).");
                }

                response.Headers["X-Key-Id"] = key.KeyId;
                return TypedResults.Text(key.PublicKeyPem, PemContentType);
            })
            .WithName("GetAuditCheckpointPublicKey")
            .WithSummary("The public key checkpoints are signed with (PEM)")
            .WithDescription("The SubjectPublicKeyInfo PEM of the current signing key; its key_id is in the X-Key-Id header. Save it once and "
                + "keep it apart from this system: the verifier is only as trustworthy as the public key it is given.")
            // A text result carries no response metadata, so the PEM 200 is declared here, as a file download.
            .ProducesFiles(PemContentType);
    }
}
