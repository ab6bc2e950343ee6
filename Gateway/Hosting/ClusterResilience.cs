using System.Data.Common;
using System.Runtime.ExceptionServices;
using Orleans.Storage;
using Personalization.Services;
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
/// <param name="telemetry">Where the pipeline reports retries, open circuits and timings (meter and log category
/// <c>Polly</c>, pipeline <c>cluster</c>); none without.</param>
public sealed class ClusterResilience(ILoggerFactory? telemetry = null) : IGrainCallPolicy
{
    /// <summary>Whole call, retries included: short enough that a client sees 503 while storage is down.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan PerTry = TimeSpan.FromSeconds(3);

    private readonly ResiliencePipeline _pipeline = Create(telemetry);

    // Orleans calls take no token: a try is abandoned (WaitAsync) when its time is up, else a call to a silo that died
    // holds its request until Orleans' response timeout (30 s) and the timeouts here would never fire.
    public async Task<T> CallAsync<T>(Func<Task<T>> call) => await _pipeline.ExecuteAsync(async token => await call().WaitAsync(token));

    public async Task<T[]> CallEachAsync<TKey, T>(IReadOnlyList<TKey> keys, Func<TKey, Task<T>> call)
    {
        var results = new T[keys.Count];
        var pending = Enumerable.Range(0, keys.Count).ToList();
        await _pipeline.ExecuteAsync(async token =>
        {
            var tries = pending.Select(i => (Index: i, Call: call(keys[i]))).ToArray();
            try
            {
                await Task.WhenAll(tries.Select(t => t.Call)).WaitAsync(token);
            }
            catch
            {
                // Judged call by call below.
            }

            pending = [];
            Exception? failure = null;
            foreach (var (index, task) in tries)
            {
                if (task.IsCompletedSuccessfully)
                {
                    results[index] = task.Result;
                    continue;
                }

                pending.Add(index);
                var error = task.Exception?.InnerException ?? new TaskCanceledException(task);
                // A failure that must not be retried decides for the whole set.
                if (failure is null || !IsTransient(error))
                {
                    failure = error;
                }
            }

            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        });
        return results;
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

    private static ResiliencePipeline Create(ILoggerFactory? telemetry)
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        var builder = new ResiliencePipelineBuilder { Name = "cluster" };
        if (telemetry is not null)
        {
            builder.ConfigureTelemetry(telemetry);
        }

        return builder
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
}
