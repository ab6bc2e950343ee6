using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Personalization.Interfaces;
using Personalization.Silo.Journal;
using Personalization.Silo.Storage;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>A data folder from before the time-ordered log: its journal rows move over when the schema is applied.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class SqliteJournalMigrationTests(SqliteClusterFixture fixture)
{
    [Fact]
    public async Task Rows_of_the_per_user_journal_are_replayable_after_the_schema_is_applied_twice()
    {
        using var data = new TempDirectory();
        var services = fixture.SiloServices;
        var serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        var payload = services.GetRequiredService<Serializer>().SerializeToArray(new[] { new UserEvent("old-1", "item-1", "click", null, null, DateTimeOffset.UnixEpoch) });
        await using (var connection = new SqliteConnection(SqliteStore.ConnectionString(data.Path)))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "CREATE TABLE event_journal (service_id TEXT NOT NULL, user_key TEXT NOT NULL, seq INTEGER NOT NULL, payload BLOB NOT NULL, " +
                "PRIMARY KEY (service_id, user_key, seq)) WITHOUT ROWID; " +
                "INSERT INTO event_journal VALUES ($service, $user, 7, $payload);";
            command.Parameters.AddWithValue("$service", serviceId);
            command.Parameters.AddWithValue("$user", GroupCommitJournal.UserKey("old-user"));
            command.Parameters.AddWithValue("$payload", payload);
            await command.ExecuteNonQueryAsync();
        }

        SqliteStore.ApplySchema(data.Path);
        SqliteStore.ApplySchema(data.Path);
        await using var journal = ActivatorUtilities.CreateInstance<SqliteEventJournal>(services, new SqliteDataSource(SqliteStore.ConnectionString(data.Path)));

        var entry = Assert.Single(await journal.ReadAsync("old-user", 0));
        Assert.Equal(7, entry.Sequence);
        Assert.Equal("old-1", entry.Events.Single().EventId);
        SqliteConnection.ClearAllPools();
    }
}
