namespace Personalization.Grains.Persistence;

/// <summary>
/// What the grain storage holds for a state stored sealed (a person's, under the person's key): the ciphertext of the
/// serialized state, so that the store never sees the state itself.
/// </summary>
[GenerateSerializer, Alias("SealedState")]
public sealed class SealedState
{
    /// <summary>The grain storage of states sealed with their person's key.</summary>
    public const string StorageName = "personal";

    [Id(0)] public byte[] Blob { get; set; } = [];
}
