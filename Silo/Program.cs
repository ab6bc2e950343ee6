using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Silo.Health;
using Personalization.Silo.Hosting;
using Personalization.Silo.Telemetry;

namespace Personalization.Silo;

/// <summary>
/// A silo process without the HTTP API (cluster mode runs several of these). It serves HTTP for operators only:
/// <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, on the address ASP.NET Core is given
/// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>; port 8080 in the container image).
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Quiet by default, as the gateway's appsettings.json is; configuration (Logging:LogLevel:*) still overrides.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddPersonalizationSilo();
        builder.AddPersonalizationTelemetry("personalization-silo");
        try
        {
            var app = builder.Build();
            app.MapHealthEndpoints();
            // The silo's port is for the cluster's operators, as its Orleans ports are: it is not exposed to clients.
            app.MapMetrics();
            await app.RunAsync();
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
