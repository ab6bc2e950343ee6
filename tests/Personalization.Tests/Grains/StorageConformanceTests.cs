using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Personalization.Grains.Users;
using Personalization.Silo.Storage;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>
/// The contract of the grain storage provider on the project's own schemas: what Orleans expects of any store, checked
/// in the database itself.
/// </summary>
public abstract class StorageConformanceTests(IServiceProvider siloServices)
{
    private const string GrainType = "conformance";

    private IGrainStorage Storage => siloServices.GetRequiredKeyedService<IGrainStorage>("Default");

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
        var rowsBefore = await RowsAsync(GrainType);
        var state = new GrainState<UserState>(new UserState { InteractionCount = 7 });
        await Storage.WriteStateAsync(GrainType, id, state);
        Assert.Equal(rowsBefore + 1, await RowsAsync(GrainType));

        await Storage.ClearStateAsync(GrainType, id, state);

        Assert.Equal(rowsBefore, await RowsAsync(GrainType));
        var read = new GrainState<UserState>();
        await Storage.ReadStateAsync(GrainType, id, read);
        Assert.False(read.RecordExists);
        await Storage.WriteStateAsync(GrainType, id, state);
        Assert.Equal(rowsBefore + 1, await RowsAsync(GrainType));
    }

    /// <summary>Rows of a grain type, counted in the database (tests of a collection run one at a time).</summary>
    protected abstract Task<long> RowsAsync(string grainType);

    private static GrainId NewGrainId() => GrainId.Create(GrainType, Guid.NewGuid().ToString("N"));
}

[Collection(SqliteClusterCollection.Name)]
public sealed class SqliteStorageConformanceTests(SqliteClusterFixture fixture) : StorageConformanceTests(fixture.SiloServices)
{
    protected override async Task<long> RowsAsync(string grainType)
    {
        await using var connection = new SqliteConnection(SqliteStore.ConnectionString(fixture.DataPath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = $type";
        command.Parameters.AddWithValue("$type", grainType);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresStorageConformanceTests(PostgresClusterFixture fixture) : StorageConformanceTests(fixture.SiloServices)
{
    protected override async Task<long> RowsAsync(string grainType)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = @type", connection);
        command.Parameters.AddWithValue("type", grainType);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
