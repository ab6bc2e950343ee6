using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Personalization.Grains.Journal;
using Personalization.Grains.Telemetry;
using Personalization.Silo.Privacy;
using static Personalization.Silo.Storage.SqlParameters;

namespace Personalization.Silo.Journal;

/// <summary>
/// The journal on SQLite, written in time order: a group commit appends its rows at the end of the log (a few adjacent
/// pages per commit, where a per-user key put every row on a page of its own), and a user's rows are found through an
/// in-memory <see cref="JournalIndex"/>, rebuilt from the log on start. This relies on the standalone store having one
/// process: the silo that owns the file.
/// </summary>
public sealed class SqliteEventJournal : GroupCommitJournal
{
    private const int PurgeAttempts = 20;

    private readonly JournalIndex _index = new();
    private readonly List<(UInt128 User, long Sequence, long RowId)> _uncommitted = [];
    private readonly List<(UInt128 User, long ThroughSequence)> _uncommittedDeletes = [];

    public SqliteEventJournal(
        DbDataSource dataSource, Serializer serializer, PersonKeyVault keys, IOptions<ClusterOptions> cluster, SiloMetrics metrics,
        ILogger<GroupCommitJournal> logger)
        : base(dataSource, serializer, keys, cluster, metrics, logger)
    {
        using var command = DataSource.CreateCommand("SELECT user_key, seq, id FROM event_log WHERE service_id = @service");
        AddParameter(command, "service", ServiceId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _index.Add(JournalIndex.KeyOf(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    protected override async Task<List<(long Sequence, byte[] Payload)>> ReadRowsAsync(string userKey, long afterSequence)
    {
        var rowIds = _index.RowIds(JournalIndex.KeyOf(userKey), afterSequence, long.MaxValue);
        if (rowIds.Length == 0)
        {
            return [];
        }

        await using var command = OnRows(DataSource.CreateCommand(), "SELECT seq, payload FROM event_log WHERE id IN (SELECT value FROM json_each(@ids)) ORDER BY seq", rowIds);
        await using var reader = await command.ExecuteReaderAsync();
        return await RowsOf(reader);
    }

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

    /// <summary>Appends the batch at the end of the log; a sequence the index already holds (another activation wrote it) is skipped.</summary>
    protected override async Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingAppend> batch)
    {
        _uncommitted.Clear();
        if (batch.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO event_log (service_id, user_key, seq, payload) VALUES (@service, @user, @seq, @payload) RETURNING id";
        AddParameter(command, "service", ServiceId);
        var user = AddParameter(command, "user", string.Empty);
        var sequence = AddParameter(command, "seq", 0L);
        var payload = AddParameter(command, "payload", Array.Empty<byte>());
        await command.PrepareAsync();
        var written = new HashSet<(string, long)>();
        foreach (var append in batch)
        {
            var key = JournalIndex.KeyOf(append.UserKey);
            if (_index.Contains(key, append.Sequence) || !written.Add((append.UserKey, append.Sequence)))
            {
                continue;
            }

            user.Value = append.UserKey;
            sequence.Value = append.Sequence;
            payload.Value = append.Payload;
            _uncommitted.Add((key, append.Sequence, (long)(await command.ExecuteScalarAsync())!));
        }

        return written;
    }

    /// <summary>Deletes each user's rows through its sequence, found in the index; the index follows once committed.</summary>
    protected override async Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingTruncation> truncations)
    {
        _uncommittedDeletes.Clear();
        foreach (var truncation in truncations)
        {
            var user = JournalIndex.KeyOf(truncation.UserKey);
            var rowIds = _index.RowIds(user, long.MinValue, truncation.ThroughSequence);
            if (rowIds.Length == 0)
            {
                continue;
            }

            await using var command = OnRows(connection.CreateCommand(), "DELETE FROM event_log WHERE id IN (SELECT value FROM json_each(@ids))", rowIds);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync();
            _uncommittedDeletes.Add((user, truncation.ThroughSequence));
        }
    }

    /// <summary><paramref name="command"/> running <paramref name="sql"/> with <c>@ids</c> bound to the row ids found in the index, as one JSON array for json_each.</summary>
    private static DbCommand OnRows(DbCommand command, string sql, long[] rowIds)
    {
        command.CommandText = sql;
        AddParameter(command, "ids", "[" + string.Join(',', rowIds) + "]");
        return command;
    }

    protected override void OnCommitted()
    {
        foreach (var (user, sequence, rowId) in _uncommitted)
        {
            _index.Add(user, sequence, rowId);
        }

        foreach (var (user, throughSequence) in _uncommittedDeletes)
        {
            _index.Remove(user, throughSequence);
        }
    }
}
