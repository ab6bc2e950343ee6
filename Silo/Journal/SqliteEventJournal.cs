using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Personalization.Silo.Journal;

/// <summary>The journal on SQLite: one prepared single-row insert run for each append, all in the one transaction.</summary>
public sealed class SqliteEventJournal(DbDataSource dataSource, Serializer serializer, IOptions<ClusterOptions> cluster, ILogger<GroupCommitJournal> logger)
    : GroupCommitJournal(dataSource, serializer, cluster, logger)
{
    private const int PurgeAttempts = 20;

    /// <summary>
    /// Deleted rows are overwritten in the database file (secure_delete), but older copies of their pages can still sit in
    /// the WAL: copy the WAL back and truncate it to zero bytes. A reader holding an old snapshot makes the checkpoint
    /// report "busy"; it is retried briefly.
    /// </summary>
    public override async Task PurgeDeletedAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var command = DataSource.CreateCommand("PRAGMA wal_checkpoint(TRUNCATE)");
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync() && reader.GetInt32(0) == 0)
            {
                return;
            }

            if (attempt == PurgeAttempts)
            {
                throw new TimeoutException("The SQLite WAL could not be checkpointed; erased data may remain in it until the next checkpoint.");
            }

            await Task.Delay(50);
        }
    }

    protected override async Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, string serviceId, IReadOnlyList<PendingAppend> batch)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO event_journal (service_id, user_key, seq, payload) VALUES (@service, @user, @seq, @payload) ON CONFLICT DO NOTHING";
        AddParameter(command, "service", serviceId);
        var user = AddParameter(command, "user", string.Empty);
        var sequence = AddParameter(command, "seq", 0L);
        var payload = AddParameter(command, "payload", Array.Empty<byte>());
        await command.PrepareAsync();
        var written = new HashSet<(string, long)>();
        foreach (var append in batch)
        {
            user.Value = append.UserKey;
            sequence.Value = append.Sequence;
            payload.Value = append.Payload;
            if (await command.ExecuteNonQueryAsync() == 1)
            {
                written.Add((append.UserKey, append.Sequence));
            }
        }

        return written;
    }
}
