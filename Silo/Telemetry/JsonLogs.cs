using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Personalization.Silo.Telemetry;

/// <summary>
/// One JSON object per log line on request: <c>Logging:Format=json</c>, or the console logger's own option
/// <c>Logging:Console:FormatterName=json</c>. Either way scopes are written, and with them the trace and span ids the
/// host adds to every line logged within a traced request.
/// </summary>
public static class JsonLogs
{
    public static void AddJsonLogsOnRequest(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole();
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Json);
        }
        else if (!string.Equals(configuration["Logging:Console:FormatterName"], ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        builder.Services.Configure<JsonConsoleFormatterOptions>(options => options.IncludeScopes = true);
    }
}
