using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Personalization.Grains.Telemetry;
using Personalization.Silo.Journal;

namespace Personalization.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for every host of the service, written once: gateways and silos collect the same meters (ASP.NET Core,
/// HTTP client, runtime, Orleans, Npgsql, Polly and the service's own) and serve them as Prometheus text on
/// <c>/metrics</c>; traces follow a request from ASP.NET Core through Orleans calls to the journal and Npgsql.
/// OTLP export happens only when <see cref="TelemetryOptions.OtlpEndpointVariable"/> is set.
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meters of Orleans, Npgsql and Polly (its resilience pipelines report under this name).</summary>
    private static readonly string[] _libraryMeters = ["Microsoft.Orleans", "Npgsql", "Polly"];

    /// <summary>Orleans' spans of grain calls (runtime and application) and the journal's.</summary>
    private static readonly string[] _activitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", GroupCommitJournal.ActivitySourceName];

    /// <summary>
    /// Metrics and traces as <see cref="TelemetryOptions"/> say, for <paramref name="serviceName"/> (the
    /// <c>OTEL_SERVICE_NAME</c> variable overrides it), with the host's own meters <paramref name="ownMeters"/> besides
    /// the silo's. JSON logs when asked (<see cref="JsonLogs"/>) whether telemetry is on or not.
    /// </summary>
    public static TelemetryOptions AddPersonalizationTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] ownMeters)
    {
        builder.AddJsonLogsOnRequest();
        var options = TelemetryOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return options;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter([.. _libraryMeters, SiloMetrics.MeterName, .. ownMeters])
                    // No cached answers: two scrapes a moment apart must not show the same counts.
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (options.OtlpEndpoint is not null)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (options.TracesEnabled)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !IsOperational(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource(_activitySources)
                    .AddNpgsql();
                if (options.OtlpEndpoint is not null)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }

        return options;
    }

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format, left out of the API document; null when telemetry is off (the
    /// path is then not served at all). Who may read it is the caller's to declare.
    /// </summary>
    public static IEndpointConventionBuilder? MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetRequiredService<TelemetryOptions>().Enabled
            ? endpoints.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription()
            : null;

    /// <summary>Scrapes and probes: frequent, uninteresting as traces.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
