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
    protected override async Task<HashSet<(string UserId, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, string serviceId, IReadOnlyList<PendingAppend> batch)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO event_journal (service_id, user_id, seq, payload) VALUES (@service, @user, @seq, @payload) ON CONFLICT DO NOTHING";
        AddParameter(command, "service", serviceId);
        AddParameter(command, "user", string.Empty);
        AddParameter(command, "seq", 0L);
        AddParameter(command, "payload", Array.Empty<byte>());
        await command.PrepareAsync();
        var written = new HashSet<(string, long)>();
        foreach (var append in batch)
        {
            command.Parameters["user"].Value = append.UserId;
            command.Parameters["seq"].Value = append.Sequence;
            command.Parameters["payload"].Value = append.Payload;
            if (await command.ExecuteNonQueryAsync() == 1)
            {
                written.Add((append.UserId, append.Sequence));
            }
        }

        return written;
    }
}
