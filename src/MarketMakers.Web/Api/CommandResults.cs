using System.Reflection;
using MarketMakers.Core;
using MarketMakers.Core.Idempotency;
using Microsoft.AspNetCore.Http.Metadata;

namespace MarketMakers.Web.Api;

/// <summary>
/// Marks an endpoint that runs through <see cref="AuditedCommand"/>: it honours <c>Idempotency-Key</c>, which the
/// OpenAPI document then shows.
/// </summary>
public sealed class IdempotentCommandMetadata;

/// <summary>The stored response of the key's first, committed request, returned as it was.</summary>
public sealed class ReplayedResponse(StoredResponse stored) : IResult, IEndpointMetadataProvider
{
    public StoredResponse Stored { get; } = stored;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[AuditedCommand.ReplayedHeader] = "true";
        return Results.Text(Stored.Body, "application/json; charset=utf-8", statusCode: Stored.StatusCode).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(new IdempotentCommandMetadata());
}

/// <summary>
/// A refused command: the error body <c>{detail, ticket_id}</c> with the status of its kind. Every command endpoint
/// documents the refusals a command can meet.
/// </summary>
public sealed class Refusal(DomainException rejection) : IResult, IEndpointMetadataProvider
{
    private static readonly int[] Statuses =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity,
    ];

    public DomainException Rejection { get; } = rejection;

    public Task ExecuteAsync(HttpContext httpContext) => ApiJson.Error(Rejection).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in Statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ErrorBody), ["application/json"]));
        }
    }
}
