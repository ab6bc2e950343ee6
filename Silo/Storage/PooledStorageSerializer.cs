using Orleans.Serialization;
using Orleans.Storage;

namespace Personalization.Silo.Storage;

/// <summary>
/// Grain state in Orleans' binary format, as <see cref="OrleansGrainStorageSerializer"/> writes it, but serialized into
/// pooled segments and copied once into an array of the exact size. The stock serializer grows one array by doubling,
/// which leaves several times a large item page in large-object garbage besides the copy the ADO.NET provider makes.
/// </summary>
public sealed class PooledStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}
