using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Persistence;

namespace Personalization.Silo.Privacy;

/// <summary>
/// Grain storage of persons' states (<see cref="SealedState.StorageName"/>): each state is serialized and sealed with the
/// person's key (a string-keyed grain's key is the user id) before <paramref name="inner"/> stores it, and opened when
/// read back. A sealed state whose key is gone reads as a new state: the person was erased.
/// </summary>
public sealed class SealedGrainStorage(IGrainStorage inner, PersonKeyVault keys, Serializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = new GrainState<SealedState>();
        await inner.ReadStateAsync(stateName, grainId, stored);
        (grainState.ETag, grainState.RecordExists) = (stored.ETag, stored.RecordExists);
        if (!stored.RecordExists || stored.State is not { Blob.Length: > 0 } sealedState)
        {
            return;
        }

        grainState.State = await keys.FindAsync(keys.KeyIdOf(UserId(grainId))) is { } key
            ? serializer.Deserialize<T>(key.Open(sealedState.Blob, PersonKey.GrainState))
            : Activator.CreateInstance<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = await keys.StoreAsync(await keys.ForWriteAsync(keys.KeyIdOf(UserId(grainId))));
        var stored = new GrainState<SealedState>
        {
            State = new SealedState { Blob = key.Seal(serializer.SerializeToArray(grainState.State), PersonKey.GrainState) },
            ETag = grainState.ETag,
            RecordExists = grainState.RecordExists,
        };
        await inner.WriteStateAsync(stateName, grainId, stored);
        (grainState.ETag, grainState.RecordExists) = (stored.ETag, stored.RecordExists);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = new GrainState<SealedState> { ETag = grainState.ETag, RecordExists = grainState.RecordExists };
        await inner.ClearStateAsync(stateName, grainId, stored);
        (grainState.ETag, grainState.RecordExists) = (stored.ETag, stored.RecordExists);
    }

    private static string UserId(GrainId grainId) => grainId.Key.ToString()!;
}
