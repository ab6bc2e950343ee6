using Microsoft.Extensions.Configuration;

namespace Personalization.Silo.Telemetry;

/// <summary>Configuration section "Telemetry", read once at start by gateways and silos alike.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard OpenTelemetry variable: where OTLP goes; nothing is exported over OTLP without it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Metrics (and <c>/metrics</c>); off, no instrument is listened to and <c>/metrics</c> is not served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The Orleans dashboard (silos collect its statistics, the gateway serves it on <c>/dashboard</c>); only with
    /// <see cref="Enabled"/>. Every silo and gateway of a cluster must agree.
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Traces; default: on when OTLP has an endpoint, since spans nobody collects would be pure cost.</summary>
    public bool? Traces { get; set; }

    /// <summary>The OTLP endpoint, when configured (environment or configuration key of the same name).</summary>
    public string? OtlpEndpoint { get; private set; }

    public bool TracesEnabled => Enabled && (Traces ?? OtlpEndpoint is not null);

    public bool DashboardEnabled => Enabled && Dashboard;

    public static TelemetryOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        options.OtlpEndpoint = configuration[OtlpEndpointVariable] is { Length: > 0 } endpoint ? endpoint : null;
        return options;
    }
}
