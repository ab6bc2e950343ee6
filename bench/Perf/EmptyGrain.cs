namespace Personalization.Bench.Perf;

/// <summary>A grain that does nothing: the in-process call rate ceiling of <c>bench perf</c>.</summary>
[Alias("IEmptyGrain")]
public interface IEmptyGrain : IGrainWithIntegerKey
{
    /// <summary>Returns at once.</summary>
    [Alias("Ping")]
    Task PingAsync();
}

public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public Task PingAsync() => Task.CompletedTask;
}
