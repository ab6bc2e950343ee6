using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Grains.Catalog;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>Co-occurrence rows through the silo's serializer, packed as bytes.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class PairRowStorageTests(SqliteClusterFixture fixture)
{
    private readonly Serializer _serializer = fixture.SiloServices.GetRequiredService<Serializer>();

    [Fact]
    public void A_part_round_trips_its_rows_entry_for_entry()
    {
        var row = new PairRow();
        for (var i = 0; i < 1_000; i++)
        {
            row.Add(i * 37 % 501, 0.25f * (i % 7));
        }

        var part = new PairsPart { Rows = { ["item-1"] = row, ["item-2"] = new PairRow() } };

        var restored = _serializer.Deserialize<PairsPart>(_serializer.SerializeToArray(part))!;

        Assert.Equal(row.Entries.ToArray(), restored.Rows["item-1"].Entries.ToArray());
        Assert.Equal(0, restored.Rows["item-2"].Count);
    }
}
