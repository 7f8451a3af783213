using System.Text.Json;
using MarketMakers.Core;
using MarketMakers.Core.Audit;

namespace MarketMakers.Web.Api;

/// <summary>SPEC §7: snake_case JSON, decimals as strings, and one error body for every refusal.</summary>
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
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Error(DomainException ex) =>
        Results.Json(new ErrorBody(ex.Message, ex.TicketId), statusCode: StatusFor(ex.Kind));

    public static IResult Error(int status, string detail, string? ticketId = null) =>
        Results.Json(new ErrorBody(detail, ticketId), statusCode: status);
}

public sealed record ErrorBody(string Detail, string? TicketId);

/// <summary>Turns a <see cref="DomainException"/> escaping any API endpoint into the SPEC §7 error body.</summary>
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
        catch (global::MarketMakers.Core.Idempotency.IdempotentReplayException replay)
        {
            return IdempotentCommand.Replay(context.HttpContext, replay);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Last line of defence: an API caller gets the JSON error body, never the HTML error page re-executed
            // with its method (which answered PUT and DELETE with 405).
            context.HttpContext.RequestServices.GetRequiredService<ILogger<DomainExceptionFilter>>()
                .LogError(ex, "Unhandled exception in {Path}", context.HttpContext.Request.Path);
            return ApiJson.Error(StatusCodes.Status500InternalServerError, "The request failed unexpectedly.");
        }
    }
}
