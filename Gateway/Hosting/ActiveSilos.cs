namespace Personalization.Gateway.Hosting;

/// <summary>
/// How many silos are active, for sending a request's events in one message per silo (<c>SiloRouting</c>). One until
/// the cluster has been asked (in standalone mode always: the one silo is in this process); in cluster mode read from
/// the management grain every 5 s. A stale count costs only locality: every user is reachable from every router.
/// </summary>
public sealed class ActiveSilos(IClusterClient cluster, ILogger<ActiveSilos> logger) : BackgroundService
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private volatile int _count = 1;

    public int Count => _count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Refresh);
        do
        {
            try
            {
                var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                _count = Math.Max(1, hosts.Count);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogDebug(exception, "Could not read the active silos; keeping {Count}", _count);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
