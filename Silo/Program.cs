using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Silo.Hosting;

namespace Personalization.Silo;

/// <summary>A silo process without the HTTP gateway (cluster mode runs several of these).</summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        // Quiet by default, as the gateway's appsettings.json is; configuration (Logging:LogLevel:*) still overrides.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.AddPersonalizationSilo();
        try
        {
            await builder.Build().RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            // A configuration mistake: say which setting, without a stack trace.
            Console.Error.WriteLine($"Refusing to start: {e.Message}");
            return 1;
        }
    }
}
