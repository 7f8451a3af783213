using System.Globalization;
using System.Text;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Core.Obligations;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

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
        mm.MapGet("/obligations", ListAsync).WithName("ListObligations")
            .Documented("List a Market Maker's obligations", "The quoting obligations of the Market Maker, one per instrument.");
        // The CSV file result carries no response metadata: its rendering of the 200 is declared here.
        mm.MapGet("/compliance", ComplianceAsync).WithName("GetCompliance").ProducesFiles("text/csv")
            .Documented("Get a Market Maker's compliance", "How much of the time the Market Maker met its obligations, from the sampler's samples, per bucket (hour or day) over the range (default: today).")
            .Query("bucket", "Bucket size.", "hour", "day", "month")
            .Query("format", "json (default) or csv.", "json", "csv");
    }

    /// <summary>The Compliance tab's CSV download for the signed-in staff cookie.</summary>
    public const string ExportPath = "/backoffice/market-makers/{id}/compliance/export";

    /// <summary>
    /// The browser holds a cookie and the API accepts bearer tokens only, so the Compliance tab downloads from this
    /// cookie-authenticated twin of <c>GET …/compliance?format=csv</c> (same parameters, same file).
    /// </summary>
    public static void MapComplianceExport(this IEndpointRouteBuilder app) =>
        app.MapGet(ExportPath, async Task<Results<FileContentHttpResult, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> (
                string id, ObligationService service, ComplianceQueries queries, TimeProvider clock,
                string? certificate_type, string? date_from, string? date_to, string? bucket, CancellationToken ct) =>
            {
                try
                {
                    return await ReportAsync(id, service, queries, clock, certificate_type, date_from, date_to, bucket, ct) is { } found
                        ? Csv(found)
                        : ApiJson.MarketMakerNotFound(id);
                }
                catch (DomainException ex)
                {
                    return ex.Kind == DomainErrorKind.NotFound ? ApiJson.NotFound(ex.Message) : TypedResults.UnprocessableEntity(new ErrorBody(ex.Message, null));
                }
            }).RequireAuthorization(Permissions.StaffPages).ExcludeFromDescription();

    /// <summary>The export URL of one view of the tab, relative to the site root.</summary>
    public static string ExportUrl(Guid marketMaker, string? certificateType, string dateFrom, string dateTo, string bucket) =>
        ExportPath.Replace("{id}", marketMaker.ToString(), StringComparison.Ordinal)
        + $"?date_from={Uri.EscapeDataString(dateFrom)}&date_to={Uri.EscapeDataString(dateTo)}&bucket={Uri.EscapeDataString(bucket)}"
        + (certificateType is null ? "" : $"&certificate_type={Uri.EscapeDataString(certificateType)}");

    /// <summary>The documented body (for OpenAPI); the endpoint parses the raw JSON itself.</summary>
    public sealed record SetObligationBody(decimal MaxSpread, long MinQuantity, decimal MinPresencePct, bool? Active = null);

    private static SetObligation ParseSet(CommandInput input)
    {
        var body = input.Body;
        return SetObligation.Parse(input.Route("id"), input.Route("certificate_type"),
            body.Decimal("max_spread"), body.Decimal("min_quantity"), body.Decimal("min_presence_pct"), body.Bool("active"));
    }

    private static async Task<Results<Ok<ObligationListResponse>, NotFound<ErrorBody>>> ListAsync(string id, ObligationService service, CancellationToken ct) =>
        await service.ListAsync(MarketMakerId.Parse(id), ct) is { } list ? TypedResults.Ok(new ObligationListResponse(list)) : ApiJson.MarketMakerNotFound(id);

    private static async Task<Results<Ok<ComplianceReport>, FileContentHttpResult, NotFound<ErrorBody>>> ComplianceAsync(
        string id, ObligationService service, ComplianceQueries queries, TimeProvider clock,
        string? certificate_type, string? date_from, string? date_to, string? bucket, string? format, CancellationToken ct)
    {
        var csv = (format?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "json" => false,
            "csv" => true,
            _ => throw DomainException.Validation($"Unknown format '{format}'. Use json or csv."),
        };
        if (await ReportAsync(id, service, queries, clock, certificate_type, date_from, date_to, bucket, ct) is not { } found)
        {
            return ApiJson.MarketMakerNotFound(id);
        }

        return csv ? Csv(found) : TypedResults.Ok(found.Report);
    }

    /// <summary>One Market Maker's buckets over a range, with the name its CSV downloads as.</summary>
    private sealed record ComplianceFile(ComplianceReport Report, string FileName);

    /// <summary>The buckets over the range, or null for an unknown Market Maker; bad parameters are a validation error.</summary>
    private static async Task<ComplianceFile?> ReportAsync(
        string id, ObligationService service, ComplianceQueries queries, TimeProvider clock,
        string? certificate_type, string? date_from, string? date_to, string? bucket, CancellationToken ct)
    {
        var mm = MarketMakerId.Parse(id);
        var certificate = string.IsNullOrWhiteSpace(certificate_type) ? null : CertificateType.Parse(certificate_type);
        var range = ComplianceRange.Parse(date_from, date_to, clock.GetUtcNow());
        var size = ComplianceBucketSize.Parse(bucket);
        return await service.ListAsync(mm, ct) is null
            ? null
            : new ComplianceFile(await queries.BucketsAsync(mm, certificate, range, size, ct), $"compliance-{mm}-{size}.csv");
    }

    private static FileContentHttpResult Csv(ComplianceFile found) =>
        TypedResults.File(Encoding.UTF8.GetBytes(ComplianceCsv.Write(found.Report)), "text/csv", found.FileName);
}

/// <summary>The compliance buckets as CSV: one line per bucket, the columns named and written as the JSON writes them.</summary>
public static class ComplianceCsv
{
    public const string Header = "bucket,certificate_type,samples,present_samples,presence_pct,avg_spread,avg_bid_quantity,avg_ask_quantity,min_presence_pct,met";

    public static string Write(ComplianceReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        foreach (var b in report.Buckets)
        {
            sb.Append(string.Create(inv,
                $"{b.Bucket.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{b.CertificateType},{b.Samples},{b.PresentSamples},{b.PresencePct},{b.AvgSpread},{b.AvgBidQuantity},{b.AvgAskQuantity},{b.MinPresencePct},{(b.Met ? "true" : "false")}"))
                .Append('\n');
        }

        return sb.ToString();
    }
}
