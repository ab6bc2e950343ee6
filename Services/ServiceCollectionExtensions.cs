using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personalization.Services;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The client side of the cluster (catalog client, ingest, recommendations, learners, privacy, oversight, cluster overview, the
    /// exposure reporter), the ranking defaults and the events options. Grain calls go through the host's <see cref="IGrainCallPolicy"/>,
    /// directly when it registers none; exploration draws from the host's <see cref="Random"/>, else the shared one.
    /// </summary>
    public static IServiceCollection AddPersonalizationServices(this IServiceCollection services)
    {
        services.TryAddSingleton(IGrainCallPolicy.Direct);
        services.TryAddSingleton<Random>(Random.Shared);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.SectionName)
            .Validate(o => new[] { o.Diversity, o.Explore, o.PopularityPenalty }.All(v => v is >= 0 and <= 1), "Ranking:Diversity, :Explore and :PopularityPenalty must be between 0 and 1.")
            .ValidateOnStart();
        services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.SectionName)
            .Validate(o => o.MaxClockSkew >= TimeSpan.Zero, "Events:MaxClockSkew must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<CatalogClient>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<LearnerService>();
        services.AddSingleton<RecommendationService>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<OversightService>();
        services.AddSingleton<ClusterOverviewService>();
        services.AddSingleton<ExposureReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<ExposureReporter>());
        return services;
    }
}
