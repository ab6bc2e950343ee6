using System.Runtime.InteropServices;

namespace Personalization.Interfaces;

/// <summary>
/// Vectors as one block of bytes (little-endian, as x64 and arm64 hold them), on the wire and in stored item pages.
/// Orleans writes a <c>float[]</c> a value at a time, a field header and a codec call per component; every event
/// carries several vectors between gateway, shards and users, and packed, a vector's round trip through the serializer
/// is a single copy. A silo of an earlier version cannot
/// read the message types below (upgrade a cluster whole).
/// </summary>
public static class PackedVectors
{
    public static byte[] Pack(ReadOnlySpan<float> vectors) => MemoryMarshal.AsBytes(vectors).ToArray();

    public static float[] Unpack(byte[] packed) => MemoryMarshal.Cast<byte, float>(packed).ToArray();
}

[GenerateSerializer, Alias("ItemVector")]
public readonly record struct ItemVectorSurrogate(
    [property: Id(0)] string ItemId,
    [property: Id(1)] byte[] Vector,
    [property: Id(2)] string[] Categories);

[RegisterConverter]
public sealed class ItemVectorConverter : IConverter<ItemVector, ItemVectorSurrogate>
{
    public ItemVector ConvertFromSurrogate(in ItemVectorSurrogate surrogate) =>
        new(surrogate.ItemId, PackedVectors.Unpack(surrogate.Vector), surrogate.Categories);

    public ItemVectorSurrogate ConvertToSurrogate(in ItemVector value) =>
        new(value.ItemId, PackedVectors.Pack(value.Vector), value.Categories);
}

[GenerateSerializer, Alias("InteractionBatch")]
public readonly record struct InteractionBatchSurrogate(
    [property: Id(0)] byte[] UserVector,
    [property: Id(1)] ItemSignal[] Signals,
    [property: Id(2)] AnswerSignal[] Answers);

[RegisterConverter]
public sealed class InteractionBatchConverter : IConverter<InteractionBatch, InteractionBatchSurrogate>
{
    public InteractionBatch ConvertFromSurrogate(in InteractionBatchSurrogate surrogate) =>
        new(PackedVectors.Unpack(surrogate.UserVector), surrogate.Signals, surrogate.Answers);

    public InteractionBatchSurrogate ConvertToSurrogate(in InteractionBatch value) =>
        new(PackedVectors.Pack(value.UserVector), value.Signals, value.Answers);
}
