namespace Personalization.Services;

/// <summary>How a client makes grain calls: directly (the bench in process), or through a resilience pipeline (the gateway's).</summary>
public interface IGrainCallPolicy
{
    static IGrainCallPolicy Direct { get; } = new DirectCalls();

    Task<T> CallAsync<T>(Func<Task<T>> call);

    /// <summary>
    /// Calls <paramref name="call"/> for every key; the results come in key order. Through a pipeline the set is one
    /// execution whose retries call again only the keys that failed, so that a fan-out to a hundred grains costs one
    /// pipeline run, not a hundred, and a key that succeeded is never called twice.
    /// </summary>
    Task<T[]> CallEachAsync<TKey, T>(IReadOnlyList<TKey> keys, Func<TKey, Task<T>> call);

    Task CallAsync(Func<Task> call) => CallAsync(async () =>
    {
        await call();
        return true;
    });

    private sealed class DirectCalls : IGrainCallPolicy
    {
        public Task<T> CallAsync<T>(Func<Task<T>> call) => call();

        public Task<T[]> CallEachAsync<TKey, T>(IReadOnlyList<TKey> keys, Func<TKey, Task<T>> call) => Task.WhenAll(keys.Select(call));
    }
}
