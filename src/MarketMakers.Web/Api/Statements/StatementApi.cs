using System.Globalization;
using System.Security.Claims;
using System.Text;
using MarketMakers.Core;
using MarketMakers.Core.Ledger;
using MarketMakers.Core.Statements;
using MarketMakers.Core.Values;
using MarketMakers.Web.Auth;
using MarketMakers.Web.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketMakers.Web.Api.Statements;

/// <summary>The statement body: opening + Σ movements.amount = closing.</summary>
public sealed record StatementResponse(string Asset, DateTimeOffset? From, DateTimeOffset To, decimal Opening, IReadOnlyList<StatementMovement> Movements, decimal Closing)
{
    public static StatementResponse Of(Statement s) => new(s.Asset.Value, s.From, s.To, s.Opening, s.Movements, s.Closing);
}

/// <summary>Statements (MM and client) and the as_of reading of the balances endpoints.</summary>
public static class StatementApi
{
    public static void MapStatementAdminApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/market-makers/{id}/statement", MarketMakerStatementAsync).WithTags(ApiTags.MarketMakers).WithName("GetMarketMakerStatement")
            .Documented("Get a Market Maker's statement", "A Market Maker's statement of one asset over a range: the opening balance, every movement and the closing balance (opening + Σ movements = closing), as JSON, CSV or XLSX.")
            .StatementQuery();
        admin.MapGet("/market-makers/{id}/performance", PerformanceAsync).WithTags(ApiTags.MarketMakers).WithName("GetMarketMakerPerformance")
            .Documented("Get a Market Maker's performance", "A Market Maker's trading on one instrument over a range: volumes bought and sold, fill ratio, position and average-cost P&L. `certificate_type` is required.");
    }

    private static async Task<Results<Ok<PerformanceView>, NotFound<ErrorBody>>> PerformanceAsync(
        string id, string? certificate_type, string? date_from, string? date_to, PerformanceService performance, CancellationToken ct)
    {
        var mm = MarketMakerId.Parse(id);
        var certificate = CertificateType.Parse(certificate_type);
        var from = string.IsNullOrWhiteSpace(date_from) ? (DateTimeOffset?)null : ParseInstant("date_from", date_from);
        var to = string.IsNullOrWhiteSpace(date_to) ? (DateTimeOffset?)null : ParseInstant("date_to", date_to);
        if (from > to)
        {
            throw DomainException.Validation("'date_from' must not be after 'date_to'.");
        }

        return await performance.GetAsync(mm.Value, certificate, from, to, ct) is { } view ? TypedResults.Ok(view) : ApiJson.MarketMakerNotFound(id);
    }

    public static void MapStatementCashMarketApi(this RouteGroupBuilder api) =>
        api.MapGet("/cash-market/statement", ClientStatementAsync).WithTags(ApiTags.CashMarket).WithName("GetClientStatement")
            .Documented("Get my statement", "The signed-in client's statement of one asset over a range: the opening balance, every movement and the closing balance, as JSON, CSV or XLSX.")
            .StatementQuery()
            .RequireAuthorization(AuthSetup.ApiCashMarketReadPolicy);

    /// <summary>
    /// A file result carries no response metadata, so the CSV and XLSX renderings of the 200 are declared here; the
    /// JSON 200 comes from the handler's <see cref="Ok{TValue}"/>.
    /// </summary>
    private static RouteHandlerBuilder StatementQuery(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesFiles("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .Query("asset", "The asset: CEA, EUA or EUR.", ParameterKind.Asset)
        .Query("from", "Start of the range, an ISO 8601 instant (default: the first movement).", ParameterKind.DateTime)
        .Query("to", "End of the range, an ISO 8601 instant (default: now).", ParameterKind.DateTime)
        .Query("format", "The representation (default json).", "json", "csv", "xlsx");

    /// <summary>An ISO 8601 instant; anything else is a 422.</summary>
    public static DateTimeOffset ParseInstant(string name, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw DomainException.Validation($"'{name}' must be an ISO 8601 time, such as 2026-12-07T10:00:00Z.");

    /// <summary>Balances of a Market Maker as of <paramref name="asOf"/>; 404 for an unknown MM.</summary>
    public static async Task<Results<Ok<IReadOnlyDictionary<string, BalanceView>>, NotFound<ErrorBody>>> MarketMakerBalancesAsOfAsync(
        string id, string asOf, StatementService statements, CancellationToken ct)
    {
        var at = ParseInstant("as_of", asOf);
        return await statements.MarketMakerHolderAsync(MarketMakerId.Parse(id).Value, ct) is { } holder
            ? TypedResults.Ok(await statements.BalancesAsOfAsync(holder, at, ct))
            : ApiJson.MarketMakerNotFound(id);
    }

    /// <summary>The signed-in client's balances as of <paramref name="asOf"/>.</summary>
    public static async Task<Ok<IReadOnlyDictionary<string, BalanceView>>> ClientBalancesAsOfAsync(ClaimsPrincipal user, string asOf, StatementService statements, CancellationToken ct)
    {
        var at = ParseInstant("as_of", asOf);
        return TypedResults.Ok(await statements.BalancesAsOfAsync(await statements.ClientHolderAsync(UserId(user), ct), at, ct));
    }

    private static async Task<Results<Ok<StatementResponse>, FileContentHttpResult, NotFound<ErrorBody>>> MarketMakerStatementAsync(
        string id, string? asset, string? from, string? to, string? format, StatementService statements, CancellationToken ct)
    {
        var (parsedAsset, lower, upper, shape) = Parse(asset, from, to, format);
        if (await statements.MarketMakerHolderAsync(MarketMakerId.Parse(id).Value, ct) is not { } holder)
        {
            return ApiJson.MarketMakerNotFound(id);
        }

        var statement = await statements.StatementAsync(holder, parsedAsset, lower, upper, ct);
        return FileOf(statement, shape, $"statement-{id}") is { } file ? file : TypedResults.Ok(StatementResponse.Of(statement));
    }

    private static async Task<Results<Ok<StatementResponse>, FileContentHttpResult>> ClientStatementAsync(
        ClaimsPrincipal user, string? asset, string? from, string? to, string? format, StatementService statements, CancellationToken ct)
    {
        var (parsedAsset, lower, upper, shape) = Parse(asset, from, to, format);
        var holder = await statements.ClientHolderAsync(UserId(user), ct);
        var statement = await statements.StatementAsync(holder, parsedAsset, lower, upper, ct);
        return FileOf(statement, shape, "statement") is { } file ? file : TypedResults.Ok(StatementResponse.Of(statement));
    }

    private static (Asset Asset, DateTimeOffset? From, DateTimeOffset? To, string Format) Parse(string? asset, string? from, string? to, string? format)
    {
        var parsedAsset = Asset.Parse(asset);
        var lower = string.IsNullOrWhiteSpace(from) ? (DateTimeOffset?)null : ParseInstant("from", from);
        var upper = string.IsNullOrWhiteSpace(to) ? (DateTimeOffset?)null : ParseInstant("to", to);
        var shape = (format ?? "json").Trim().ToLowerInvariant();
        return shape is "json" or "csv" or "xlsx"
            ? (parsedAsset, lower, upper, shape)
            : throw DomainException.Validation($"Unknown format '{format}'. Use json, csv or xlsx.");
    }

    /// <summary>The statement as a CSV or XLSX file, or null when the JSON body was asked for.</summary>
    private static FileContentHttpResult? FileOf(Statement statement, string format, string name) => format switch
    {
        "csv" => TypedResults.File(StatementCsv.Write(statement), "text/csv", $"{name}-{statement.Asset}.csv"),
        "xlsx" => TypedResults.File(StatementXlsx.Write(statement), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}-{statement.Asset}.xlsx"),
        _ => null,
    };

    private static Guid UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");
}
