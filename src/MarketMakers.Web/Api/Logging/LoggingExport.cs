using MarketMakers.Core;
using MarketMakers.Core.Audit;
using MarketMakers.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Logging;

/// <summary>
/// CSV export for the Logging page. The browser holds a cookie and the API accepts bearer tokens only, so the
/// page downloads from this cookie-authenticated twin of <c>/api/v1/admin/logging/tickets/export</c>.
/// </summary>
public static class LoggingExport
{
    public const string Path = "/backoffice/logging/export";

    public static void MapLoggingExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, Results<PushStreamHttpResult, ProblemHttpResult> (HttpRequest request, TicketQueries queries) =>
        {
            try
            {
                return TicketCsv.Export(queries, TicketFilterQuery.Parse(request.Query));
            }
            catch (DomainException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
        }).RequireAuthorization(Permissions.StaffPages).ExcludeFromDescription();

    /// <summary>The export URL for a filtered view, relative to the site root.</summary>
    public static string UrlFor(TicketFilter filter) => Path + TicketFilterQuery.ToQueryString(filter);
}
