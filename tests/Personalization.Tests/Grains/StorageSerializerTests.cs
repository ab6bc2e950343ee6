using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Catalog;
using Personalization.Interfaces;
using Personalization.Silo.Storage;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>The silos' grain storage serializer writes what Orleans' stock one wrote, so that stored rows of either read with the other.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class StorageSerializerTests(SqliteClusterFixture fixture)
{
    private readonly Serializer _serializer = fixture.SiloServices.GetRequiredService<Serializer>();

    [Fact]
    public void A_page_is_stored_byte_for_byte_as_the_stock_serializer_stored_it_and_reads_back()
    {
        const int dimension = 4;
        var page = new ItemPage();
        var vectors = new float[3_000 * dimension];
        for (var i = 0; i < 3_000; i++)
        {
            page.Add($"item-{i}");
            vectors.AsSpan(i * dimension, dimension).Fill(i * 0.5f);
            page.Categories[i] = [$"c{i % 5}"];
        }

        var stock = new OrleansGrainStorageSerializer(_serializer);
        var pooled = new PooledStorageSerializer(_serializer);
        var snapshot = page.Snapshot(PackedVectors.Pack(vectors));

        var written = pooled.Serialize(snapshot);
        Assert.Equal(stock.Serialize(snapshot).ToArray(), written.ToArray());

        var read = pooled.Deserialize<ItemPage>(stock.Serialize(snapshot))!;
        Assert.Equal(snapshot.Ids, read.Ids);
        Assert.Equal(vectors, PackedVectors.Unpack(read.VectorBytes!));
        Assert.Equal(["c4"], read.Categories[2_999]);
    }
}
