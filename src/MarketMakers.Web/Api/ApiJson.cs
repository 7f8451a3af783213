using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace MarketMakers.Web.Api;

/// <summary>The API's JSON: snake_case names, decimals as strings, and one error body for every refusal.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new DecimalAsStringConverter());
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
    }

    public static int StatusFor(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Validation => StatusCodes.Status422UnprocessableEntity,
        DomainErrorKind.BusinessRule => StatusCodes.Status400BadRequest,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Error(DomainException ex) =>
        Results.Json(new ErrorBody(ex.Message, ex.TicketId), statusCode: StatusFor(ex.Kind));

    public static IResult Error(int status, string detail, string? ticketId = null) =>
        Results.Json(new ErrorBody(detail, ticketId), statusCode: status);

    /// <summary>The 404 of a read whose thing does not exist; typed, so the operation documents its error body.</summary>
    public static NotFound<ErrorBody> NotFound(string detail) => TypedResults.NotFound(new ErrorBody(detail, null));

    public static NotFound<ErrorBody> MarketMakerNotFound(string id) => NotFound($"Market Maker {id} not found.");

    /// <summary>Invalid input a handler refuses itself (a ticket, when it wrote one).</summary>
    public static UnprocessableEntity<ErrorBody> Invalid(DomainException ex) => TypedResults.UnprocessableEntity(new ErrorBody(ex.Message, ex.TicketId));
}

/// <summary>
/// A 401 with the error body (the framework's <see cref="UnauthorizedHttpResult"/> has none): refused credentials at
/// sign-in, which is anonymous, so the operation transformer documents its 401 only because this declares it.
/// </summary>
public sealed class Unauthenticated(DomainException refusal) : IResult, IEndpointMetadataProvider
{
    public DomainException Refusal { get; } = refusal;

    public Task ExecuteAsync(HttpContext httpContext) =>
        ApiJson.Error(StatusCodes.Status401Unauthorized, Refusal.Message, Refusal.TicketId).ExecuteAsync(httpContext);

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorBody), ["application/json"]));
}

public sealed record ErrorBody(string Detail, string? TicketId);

/// <summary>The answer of a command whose only result is its ticket (a delete, a cancel).</summary>
public sealed record SuccessResponse(bool Success, string TicketId);

/// <summary>Turns a <see cref="DomainException"/> escaping any API endpoint (a read, a sign-in) into the error body.</summary>
public sealed class DomainExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainException ex)
        {
            return ApiJson.Error(ex);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && context.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // Anything else (the database or Redis unreachable outside an audited action, a bug) still answers with the
            // error body, never the HTML error page re-executed with the request's method (which answered PUT and
            // DELETE with 405); 503 when a backing service is down, so clients retry.
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<DomainExceptionFilter>>();
            logger.LogError(ex, "{Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return IsUnavailable(ex)
                ? ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "A backing service is unavailable; nothing was changed. Try again shortly.")
                : ApiJson.Error(StatusCodes.Status500InternalServerError, "The request failed unexpectedly.");
        }
    }

    private static bool IsUnavailable(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Data.Common.DbException or StackExchange.Redis.RedisConnectionException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
