using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Personalization.Grains.Users;
using Personalization.Silo.Storage;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>The contract of the grain storage provider on the project's own SQLite schema.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SqliteStorageConformanceTests(ClusterFixture fixture)
{
    private const string GrainType = "conformance";

    private IGrainStorage Storage => fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>("Default");

    [Fact]
    public async Task Written_state_reads_back_with_its_etag()
    {
        var id = NewGrainId();
        var written = new GrainState<UserState>(new UserState { InteractionCount = 42, Vector = [1f, 2f] });
        await Storage.WriteStateAsync(GrainType, id, written);

        var read = new GrainState<UserState>();
        await Storage.ReadStateAsync(GrainType, id, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(42, read.State!.InteractionCount);
        Assert.Equal([1f, 2f], read.State.Vector);
    }

    [Fact]
    public async Task A_stale_etag_gets_InconsistentStateException()
    {
        var id = NewGrainId();
        var first = new GrainState<UserState>(new UserState());
        await Storage.WriteStateAsync(GrainType, id, first);
        var stale = new GrainState<UserState>(new UserState()) { ETag = first.ETag };
        await Storage.WriteStateAsync(GrainType, id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainType, id, stale));
        // A second writer that believes the grain is new conflicts too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainType, id, new GrainState<UserState>(new UserState())));
    }

    [Fact]
    public async Task Clearing_deletes_the_row_and_the_grain_can_be_written_again()
    {
        var id = NewGrainId();
        var rowsBefore = Rows();
        var state = new GrainState<UserState>(new UserState { InteractionCount = 7 });
        await Storage.WriteStateAsync(GrainType, id, state);
        Assert.Equal(rowsBefore + 1, Rows());

        await Storage.ClearStateAsync(GrainType, id, state);

        Assert.Equal(rowsBefore, Rows());
        var read = new GrainState<UserState>();
        await Storage.ReadStateAsync(GrainType, id, read);
        Assert.False(read.RecordExists);
        await Storage.WriteStateAsync(GrainType, id, state);
        Assert.Equal(rowsBefore + 1, Rows());
    }

    private static GrainId NewGrainId() => GrainId.Create("conformance", Guid.NewGuid().ToString("N"));

    /// <summary>Rows of this test's grain type, counted in the database itself (tests of a collection run one at a time).</summary>
    private long Rows()
    {
        using var connection = new SqliteConnection(SqliteStore.ConnectionString(fixture.DataPath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = $type";
        command.Parameters.AddWithValue("$type", GrainType);
        return (long)command.ExecuteScalar()!;
    }
}
