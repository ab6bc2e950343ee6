using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personalization.Silo.Hosting;

namespace Personalization.Silo;

/// <summary>A silo process without the HTTP gateway (cluster mode runs several of these).</summary>
public static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // Quiet by default, as the gateway's appsettings.json is; configuration (Logging:LogLevel:*) still overrides.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.AddPersonalizationSilo();
        await builder.Build().RunAsync();
    }
}
