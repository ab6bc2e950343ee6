using Microsoft.Extensions.Hosting;
using Personalization.Silo.Hosting;

namespace Personalization.Silo;

/// <summary>A silo process without the HTTP gateway (cluster mode runs several of these).</summary>
public static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddPersonalizationSilo();
        await builder.Build().RunAsync();
    }
}
