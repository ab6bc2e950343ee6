using Orleans.Concurrency;
using Personalization.Interfaces;

namespace Personalization.Grains.Health;

[StatelessWorker]
public sealed class HealthProbeGrain : Grain, IHealthProbeGrain
{
    public Task PingAsync() => Task.CompletedTask;
}
