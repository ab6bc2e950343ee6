using System.Data.Common;
using Orleans.Storage;
using Personalization.Interfaces;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Personalization.Gateway.Hosting;

/// <summary>
/// The resilience pipeline around every call from the gateway into the cluster: an overall budget, retries with
/// exponential backoff and jitter on transient failures only, a circuit breaker, and a per-try timeout well under
/// Orleans' response timeout. Retrying is safe because event ids are fixed before the first try.
/// </summary>
public static class ClusterResilience
{
    /// <summary>Whole call, retries included: short enough that a client sees 503 while storage is down.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan PerTry = TimeSpan.FromSeconds(3);

    public static ResiliencePipeline Create()
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        return new ResiliencePipelineBuilder()
            .AddTimeout(Budget)
            .AddRetry(new RetryStrategyOptions
            {
                // An open circuit means "failing now": answer 503 at once instead of waiting out the budget.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not BrokenCircuitException && IsTransient(e)),
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.9,
                MinimumThroughput = 100,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(2),
            })
            .AddTimeout(PerTry)
            .Build();
    }

    /// <summary>Runs one grain call through the pipeline.</summary>
    public static async Task<T> CallAsync<T>(this ResiliencePipeline pipeline, Func<Task<T>> call) =>
        await pipeline.ExecuteAsync(async _ => await call());

    /// <inheritdoc cref="CallAsync{T}(ResiliencePipeline, Func{Task{T}})"/>
    public static async Task CallAsync(this ResiliencePipeline pipeline, Func<Task> call) =>
        await pipeline.ExecuteAsync(async _ => await call());

    /// <summary>The pipeline as the grain call policy of the shared client code (<see cref="EventIngest"/>).</summary>
    public sealed class Policy(ResiliencePipeline pipeline) : IGrainCallPolicy
    {
        public Task<T> CallAsync<T>(Func<Task<T>> call) => pipeline.CallAsync(call);
    }

    /// <summary>
    /// Failures that a later try may not meet: an unreachable silo, a timeout, storage down, an open circuit.
    /// Never a version conflict (InconsistentStateException: the grain reloads instead) and never bad input.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        InconsistentStateException => false,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        OrleansException or TimeoutException or TimeoutRejectedException or BrokenCircuitException or DbException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
