using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketMakers.Core.Obligations;

/// <summary>Runs a sampler pass every <see cref="ObligationOptions.SampleSeconds"/>, on the injected clock.</summary>
public sealed class ObligationSamplingService(
    ObligationSampler sampler, TimeProvider clock, IOptions<ObligationOptions> options, ILogger<ObligationSamplingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await sampler.SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be restarting. A missed slot stays missing: a sample records what was seen then,
                // and none can be taken after the fact.
                logger.LogWarning(ex, "Obligation sampling pass failed; retrying at the next slot");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

public static class ObligationServiceCollectionExtensions
{
    /// <summary>Obligations, the sampler and the compliance reads (Core; no background work).</summary>
    public static IServiceCollection AddObligations(this IServiceCollection services)
    {
        services.AddOptions<ObligationOptions>().BindConfiguration("Obligations")
            .Validate(o => o.SampleSeconds is > 0 and <= 3600, "Obligations:SampleSeconds must be from 1 to 3600.");
        services.AddSingleton<ObligationSampler>();
        services.AddSingleton<ComplianceQueries>();
        services.AddScoped<ObligationService>();
        return services;
    }

    /// <summary>The sampler as a hosted service (the web app).</summary>
    public static IServiceCollection AddObligationSampling(this IServiceCollection services) =>
        services.AddHostedService<ObligationSamplingService>();
}
