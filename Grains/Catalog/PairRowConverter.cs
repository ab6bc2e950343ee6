using System.Runtime.InteropServices;
using Personalization.Model;

namespace Personalization.Grains.Catalog;

/// <summary>
/// How a <see cref="PairRow"/> is stored: its entries' slots then counts as raw bytes (little-endian, as the runtime
/// holds them), so that storing a busy shard's millions of entries is one buffer per row rather than a codec call per value.
/// </summary>
/// <remarks>Ids 0 and 1 held a form of the row that was never released; they are not reused.</remarks>
[GenerateSerializer, Alias("PairRow")]
public readonly record struct PairRowSurrogate([property: Id(2)] int Count, [property: Id(3)] byte[] Packed);

[RegisterConverter]
public sealed class PairRowConverter : IConverter<PairRow, PairRowSurrogate>
{
    public PairRow ConvertFromSurrogate(in PairRowSurrogate surrogate)
    {
        var (count, packed) = (surrogate.Count, surrogate.Packed);
        var slots = MemoryMarshal.Cast<byte, int>(packed.AsSpan(0, count * sizeof(int)));
        var counts = MemoryMarshal.Cast<byte, float>(packed.AsSpan(count * sizeof(int), count * sizeof(float)));
        var entries = new PairEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = new PairEntry(slots[i], counts[i]);
        }

        return new(entries, count);
    }

    public PairRowSurrogate ConvertToSurrogate(in PairRow value)
    {
        var packed = new byte[value.Count * (sizeof(int) + sizeof(float))];
        var slots = MemoryMarshal.Cast<byte, int>(packed.AsSpan(0, value.Count * sizeof(int)));
        var counts = MemoryMarshal.Cast<byte, float>(packed.AsSpan(value.Count * sizeof(int)));
        var entries = value.Entries;
        for (var i = 0; i < entries.Length; i++)
        {
            (slots[i], counts[i]) = (entries[i].Slot, entries[i].Count);
        }

        return new(value.Count, packed);
    }
}
