using Microsoft.Extensions.Options;
using Personalization.Services;

namespace Personalization.Gateway.Telemetry;

/// <summary>
/// Keeps the exposure gauges current: an oversight report every <see cref="TelemetryGatewayOptions.OversightInterval"/>
/// (it asks every exposure partition and the shards of the exposed items, too much for each scrape). A report that fails
/// leaves the last figures; the next interval tries again. It stops, and waits for a report under way, when the host
/// starts stopping and before any hosted service stops: a report during the silo's shutdown would call grains that are
/// being deactivated.
/// </summary>
public sealed class OversightGauges(OversightService oversight, GatewayMetrics metrics, IOptions<TelemetryGatewayOptions> options, ILogger<OversightGauges> logger)
    : BackgroundService, IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OversightInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    metrics.Oversight((await oversight.ReportAsync()).Figures);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogDebug(ex, "The oversight report for the exposure gauges failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

/// <summary>The gateway's part of configuration section "Telemetry".</summary>
public sealed class TelemetryGatewayOptions
{
    /// <summary>How often the exposure gauges are recomputed.</summary>
    public TimeSpan OversightInterval { get; set; } = TimeSpan.FromMinutes(1);
}
