using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Grains.Catalog;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>Co-occurrence rows through the silo's serializer: packed as bytes now, and rows stored before that still read.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class PairRowStorageTests(SqliteClusterFixture fixture)
{
    private readonly Serializer _serializer = fixture.SiloServices.GetRequiredService<Serializer>();

    [Fact]
    public void A_learned_state_round_trips_its_rows_entry_for_entry()
    {
        var row = new PairRow();
        for (var i = 0; i < 1_000; i++)
        {
            row.Add(i * 37 % 501, 0.25f * (i % 7));
        }

        var state = new CatalogShardState { Pairs = { ["item-1"] = row, ["item-2"] = new PairRow() } };

        var restored = _serializer.Deserialize<CatalogShardState>(_serializer.SerializeToArray(state))!;

        Assert.Equal(row.Slots.ToArray(), restored.Pairs["item-1"].Slots.ToArray());
        Assert.Equal(row.Counts.ToArray(), restored.Pairs["item-1"].Counts.ToArray());
        Assert.Equal(0, restored.Pairs["item-2"].Count);
    }

    [Fact]
    public void A_row_stored_as_two_arrays_before_the_packed_form_reads_the_same()
    {
        var converter = new PairRowConverter();
        // As the previous form stored it: the arrays with their spare capacity, and how many entries they hold.
        var stored = _serializer.Deserialize<PairRowSurrogate>(_serializer.SerializeToArray(new PairRowSurrogate([5, 9, 2, 0], [1.5f, 2f, 0.25f, 0f], 3, null)));

        var row = converter.ConvertFromSurrogate(stored);

        Assert.Equal([5, 9, 2], row.Slots.ToArray());
        Assert.Equal([1.5f, 2f, 0.25f], row.Counts.ToArray());
        var packed = converter.ConvertToSurrogate(row);
        Assert.Null(packed.Slots);
        Assert.Equal(3 * 8, packed.Packed!.Length);
    }
}
