using MarketMakers.Core.Audit;
using MarketMakers.Core.Obligations;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;

namespace MarketMakers.Web.Api.Obligations;

public sealed record ObligationResponse(ObligationView Obligation, string TicketId);

public sealed record ObligationListResponse(IReadOnlyList<ObligationView> Obligations);

/// <summary>
/// Market Maker obligations (SPEC §10): set one (OBLIGATION_CHANGED, desk roles), list them, and read the compliance
/// buckets the sampler's samples add up to. The rules live in <see cref="ObligationService"/> and
/// <see cref="ComplianceQueries"/>, which the pages call too.
/// </summary>
public static class ObligationApi
{
    public static void MapObligationApi(this RouteGroupBuilder admin)
    {
        var mm = admin.MapGroup("/market-makers/{id}").WithTags(ApiTags.Obligations);
        mm.MapPut("/obligations/{certificate_type}", (HttpContext http, ObligationService service) => AuditedCommand.RunAsync(
                http, ParseSet, i => SetObligation.Ticket(i.Route("id"), i.Route("certificate_type"), i.ForAudit()), service.SetAsync,
                (view, ticketId) => new ObligationResponse(view, ticketId)))
            .Desk(ActionTypes.ObligationChanged, EntityTypes.Obligation).WithName("SetObligation")
            .AcceptsJson(new SetObligationBody(0.50m, 100, 90m, true))
            .Documented("Set a quoting obligation", "Sets the Market Maker's obligation on one instrument: the widest spread allowed, the minimum size on each side and the minimum share of the time it must quote (OBLIGATION_CHANGED ticket). `active: false` suspends it.");
        mm.MapGet("/obligations", ListAsync).WithName("ListObligations").Produces<ObligationListResponse>().Produces<ErrorBody>(404)
            .Documented("List a Market Maker's obligations", "The quoting obligations of the Market Maker, one per instrument.");
        mm.MapGet("/compliance", ComplianceAsync).WithName("GetCompliance").Produces<ComplianceReport>().Produces<ErrorBody>(404)
            .Documented("Get a Market Maker's compliance", "How much of the time the Market Maker met its obligations, from the sampler's samples, per bucket (hour or day) over the range (default: today).")
            .Query("bucket", "Bucket size.", "hour", "day");
    }

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record SetObligationBody(decimal MaxSpread, long MinQuantity, decimal MinPresencePct, bool? Active = null);

    private static SetObligation ParseSet(CommandInput input)
    {
        var body = input.Body;
        return SetObligation.Parse(input.Route("id"), input.Route("certificate_type"),
            body.Decimal("max_spread"), body.Decimal("min_quantity"), body.Decimal("min_presence_pct"), body.Bool("active"));
    }

    private static async Task<IResult> ListAsync(string id, ObligationService service, CancellationToken ct) =>
        await service.ListAsync(MarketMakerId.Parse(id), ct) is { } list ? Results.Ok(new ObligationListResponse(list)) : NotFound(id);

    private static async Task<IResult> ComplianceAsync(
        string id, ObligationService service, ComplianceQueries queries, TimeProvider clock,
        string? certificate_type, string? date_from, string? date_to, string? bucket, CancellationToken ct)
    {
        var mm = MarketMakerId.Parse(id);
        var certificate = string.IsNullOrWhiteSpace(certificate_type) ? null : CertificateType.Parse(certificate_type);
        var range = ComplianceRange.Parse(date_from, date_to, clock.GetUtcNow());
        var size = ComplianceBucketSize.Parse(bucket);
        if (await service.ListAsync(mm, ct) is null)
        {
            return NotFound(id);
        }

        return Results.Ok(await queries.BucketsAsync(mm, certificate, range, size, ct));
    }

    private static IResult NotFound(string id) => ApiJson.Error(StatusCodes.Status404NotFound, $"Market Maker {id} not found.");
}
