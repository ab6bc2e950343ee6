using Microsoft.Extensions.Options;
using Personalization.Silo.Hosting;

namespace Personalization.Gateway.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>Connects the gateway to the cluster: in standalone mode by co-hosting the one silo in this process.</summary>
    public static WebApplicationBuilder AddPersonalizationCluster(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>()?.Mode ?? ClusterMode.Standalone;
        if (mode != ClusterMode.Standalone)
        {
            throw new OptionsValidationException(ClusterSettings.SectionName, typeof(ClusterSettings),
                [$"Cluster:Mode '{mode}' is not available yet; use Standalone."]);
        }

        builder.AddPersonalizationSilo();
        return builder;
    }
}
