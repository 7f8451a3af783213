namespace MarketMakers.Core.Audit;

/// <summary>Who acted and from where: copied into every ticket.</summary>
public sealed record RequestContext(
    Guid? UserId,
    string? UserEmail,
    string? IpAddress,
    string? UserAgent,
    string? SessionId)
{
    /// <summary>Background work (seeding, sealing) acts as the system, with no user or network origin.</summary>
    public static RequestContext System { get; } = new(null, "system", null, null, null);
}

/// <summary>Supplies the context of the current API request or Blazor circuit.</summary>
public interface IRequestContextAccessor
{
    RequestContext Current { get; }
}

/// <summary>For hosts with no HTTP request at all (tests, benchmarks, background jobs).</summary>
public sealed class FixedRequestContextAccessor(RequestContext context) : IRequestContextAccessor
{
    public RequestContext Current { get; set; } = context;
}
