using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>The ingest path's vectors through the silo's serializer: whole, and packed rather than a value at a time.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class PackedVectorsTests(SqliteClusterFixture fixture)
{
    private readonly Serializer _serializer = fixture.SiloServices.GetRequiredService<Serializer>();

    private static readonly float[] _vector = [.. Enumerable.Range(0, 64).Select(i => MathF.Sin(i) * 0.37f)];

    [Fact]
    public void An_item_vector_round_trips_and_its_vector_crosses_as_its_bytes()
    {
        var item = new ItemVector("item-7", _vector, ["Horror"]);

        var bytes = _serializer.SerializeToArray(item);
        var restored = _serializer.Deserialize<ItemVector>(bytes)!;

        Assert.Equal(item.ItemId, restored.ItemId);
        Assert.Equal(_vector, restored.Vector);
        Assert.Equal(["Horror"], restored.Categories);
        // A header byte per component would make it at least 64 * 5 bytes.
        Assert.InRange(bytes.Length, 64 * 4, 64 * 4 + 40);
    }

    [Fact]
    public void An_item_half_round_trips_with_its_user_vector_signals_and_answers()
    {
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var half = new InteractionBatch(_vector, [new ItemSignal("item-1", 1f, at, false), new ItemSignal("item-2", -0.5f, at, true)], []);

        var restored = _serializer.Deserialize<InteractionBatch>(_serializer.SerializeToArray(half))!;

        Assert.Equal(_vector, restored.UserVector);
        Assert.Equal(half.Signals, restored.Signals);
        Assert.Empty(restored.Answers);
    }
}
