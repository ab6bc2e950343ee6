using Orleans.Storage;

namespace Personalization.Tests.Infrastructure;

/// <summary>A grain storage that passes calls on to a real one, recording the state names written and failing one on request.</summary>
public sealed class RecordingStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly Queue<string> _writes = new();

    private string? _failing;

    /// <summary>The next write of <paramref name="stateName"/> fails (once).</summary>
    public void FailNextWriteOf(string stateName)
    {
        lock (_writes)
        {
            _failing = stateName;
        }
    }

    /// <summary>The state names written so far, in the order their writes began; clears the record.</summary>
    public string[] TakeWrites()
    {
        lock (_writes)
        {
            string[] writes = [.. _writes];
            _writes.Clear();
            return writes;
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_writes)
        {
            _writes.Enqueue(stateName);
            if (_failing == stateName)
            {
                _failing = null;
                return Task.FromException(new InvalidOperationException($"Storing {stateName} failed (test)."));
            }
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
