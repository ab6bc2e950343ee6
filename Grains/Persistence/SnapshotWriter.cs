using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Personalization.Grains.Persistence;

/// <summary>
/// Writes one state of a grain from snapshots, serialized and stored on the thread pool, so that the grain's turn only
/// takes the snapshot: serializing a large state in the turn would keep the grain from answering meanwhile. Writes run
/// one after the other, each with the version the previous one left.
/// </summary>
public sealed class SnapshotWriter<T>(IGrainStorage storage, GrainId grainId, string stateName)
{
    private string? _etag;

    /// <summary>The last write started; faulted when it failed.</summary>
    public Task Last { get; private set; } = Task.CompletedTask;

    /// <summary>Completes when the writes started so far are done, whether or not they succeeded.</summary>
    public Task Idle => Last.ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>The state exists in storage (read so, or written since).</summary>
    public bool IsStored => Volatile.Read(ref _etag) is not null;

    /// <summary>Reads the state and remembers its stored version; a state never written reads as <paramref name="create"/>'s.</summary>
    public async Task<T> ReadAsync(Func<T> create)
    {
        var read = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grainId, read);
        _etag = read.ETag;
        return read.RecordExists && read.State is { } state ? state : create();
    }

    /// <summary>
    /// Stores <paramref name="snapshot"/> once the earlier writes are done (whether or not they succeeded); the task
    /// completes when it is stored. The snapshot must not change afterwards.
    /// </summary>
    public Task WriteAsync(T snapshot)
    {
        var previous = Idle;
        return Last = Task.Run(async () =>
        {
            await previous;
            var stored = new GrainState<T>(snapshot) { ETag = _etag, RecordExists = _etag is not null };
            await storage.WriteStateAsync(stateName, grainId, stored);
            Volatile.Write(ref _etag, stored.ETag);
        });
    }

    /// <summary>Whether the last write failed (logged): what it held is to be written again.</summary>
    public bool LastWriteFailed(ILogger logger)
    {
        if (Last.Exception is not { } failure)
        {
            return false;
        }

        logger.LogWarning(failure.InnerException, "Storing {State} of {Grain} failed; it is written again", stateName, grainId);
        return true;
    }
}
