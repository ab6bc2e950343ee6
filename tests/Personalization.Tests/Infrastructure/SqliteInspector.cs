using System.Text;
using Microsoft.Data.Sqlite;
using Personalization.Silo.Journal;
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

    public async Task<long> JournalRowsAsync(string userId)
    {
        await using var connection = Open();
        await using var command = new SqliteCommand("SELECT COUNT(*) FROM event_log WHERE user_key = $key", connection);
        command.Parameters.AddWithValue("$key", GroupCommitJournal.UserKey(userId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<byte[]>> UserStatePayloadsAsync()
    {
        await using var connection = Open();
        await using var command = new SqliteCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'user'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var payloads = new List<byte[]>();
        while (await reader.ReadAsync())
        {
            payloads.Add((byte[])reader.GetValue(0));
        }

        return payloads;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(SqliteStore.ConnectionString(dataPath));
        connection.Open();
        return connection;
    }
}
