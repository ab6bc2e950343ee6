using System.Text;
using Microsoft.Data.Sqlite;
using Personalization.Silo.Privacy;
using Personalization.Silo.Storage;

namespace Personalization.Tests.Infrastructure;

/// <summary>Reads the standalone store's SQLite files (database, WAL, shared memory) directly.</summary>
public sealed class SqliteInspector(string dataPath) : IStoreInspector
{
    public Task<string> DumpAsync()
    {
        var bytes = new List<byte>();
        foreach (var file in Directory.GetFiles(dataPath, SqliteStore.FileName + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            bytes.AddRange(content);
        }

        // Latin-1 maps every byte to one char, so that text, hex and base64 can all be searched in it.
        return Task.FromResult(Encoding.Latin1.GetString([.. bytes]));
    }

    /// <summary>With the master key the host generated beside the data, or else the test hosts' one.</summary>
    public StoreSecrets Secrets => new(
        new SqliteDataSource(SqliteStore.ConnectionString(dataPath)),
        File.Exists(Path.Combine(dataPath, StandaloneMasterKey.FileName)) ? StandaloneMasterKey.LoadOrCreate(dataPath) : TestSettings.MasterKey);

    public async Task<long> JournalRowsAsync(string userId)
    {
        await using var connection = Open();
        await using var command = new SqliteCommand("SELECT COUNT(*) FROM event_log WHERE user_key = $key", connection);
        command.Parameters.AddWithValue("$key", await Secrets.KeyIdOfAsync(userId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(SqliteStore.ConnectionString(dataPath));
        connection.Open();
        return connection;
    }
}
