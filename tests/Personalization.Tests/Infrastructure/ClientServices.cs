using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Interfaces;
using Personalization.Services;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>The client-side services as the bench wires them (direct calls, default options), on a test cluster's client.</summary>
public static class ClientServices
{
    public static ServiceProvider For(IGrainFactory grains) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddSingleton(grains)
            .AddPersonalizationModelOptions()
            .AddPersonalizationServices()
            .BuildServiceProvider();

    /// <summary>Records <paramref name="events"/> of one user through the ingest path the gateway uses: shards prepare, the user grain steps, shards apply.</summary>
    public static Task<RecordResult> RecordAsync(this IServiceProvider services, string userId, params UserEvent[] events) =>
        services.GetRequiredService<IngestService>().RecordAsync([.. events.Select(e => (userId, e))]);
}
