using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;
using Personalization.Grains.Journal;
using Personalization.Grains.Telemetry;

namespace Personalization.Silo.Journal;

/// <summary>
/// The journal on PostgreSQL, keyed by (service, user key, sequence) so that every silo finds a user's rows: the whole
/// batch goes as three arrays in one INSERT ... SELECT unnest(...), one round trip.
/// </summary>
public sealed class PostgresEventJournal(
    DbDataSource dataSource, Serializer serializer, IOptions<ClusterOptions> cluster, SiloMetrics metrics, ILogger<GroupCommitJournal> logger)
    : GroupCommitJournal(dataSource, serializer, cluster, metrics, logger)
{
    protected override async Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingAppend> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "INSERT INTO event_journal (service_id, user_key, seq, payload) " +
            "SELECT @service, u, s, p FROM unnest(@users, @sequences, @payloads) AS batch(u, s, p) " +
            "ON CONFLICT DO NOTHING RETURNING user_key, seq",
            (NpgsqlConnection)connection,
            (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("service", ServiceId);
        command.Parameters.AddWithValue("users", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Select(a => a.UserKey).ToArray());
        command.Parameters.AddWithValue("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Select(a => a.Sequence).ToArray());
        command.Parameters.AddWithValue("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea, batch.Select(a => a.Payload).ToArray());
        var written = new HashSet<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return written;
    }

    /// <summary>One user's entries after a sequence: found through the primary key (a test checks the plan).</summary>
    internal const string ReadSql =
        "SELECT seq, payload FROM event_journal WHERE service_id = @service AND user_key = @user AND seq > @after ORDER BY seq";

    /// <summary>Drops each user's entries through its sequence, found through the primary key like <see cref="ReadSql"/>.</summary>
    internal const string DeleteSql =
        "DELETE FROM event_journal USING unnest(@users, @throughs) AS batch(u, s) " +
        "WHERE service_id = @service AND user_key = batch.u AND seq <= batch.s";

    public override async Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence)
    {
        await using var command = DataSource.CreateCommand(ReadSql);
        AddParameter(command, "service", ServiceId);
        AddParameter(command, "user", UserKey(userId));
        AddParameter(command, "after", afterSequence);
        await using var reader = await command.ExecuteReaderAsync();
        return await ReadEntriesAsync(reader);
    }

    protected override async Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingTruncation> truncations)
    {
        if (truncations.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(DeleteSql, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("service", ServiceId);
        command.Parameters.AddWithValue("users", NpgsqlDbType.Array | NpgsqlDbType.Text, truncations.Select(t => t.UserKey).ToArray());
        command.Parameters.AddWithValue("throughs", NpgsqlDbType.Array | NpgsqlDbType.Bigint, truncations.Select(t => t.ThroughSequence).ToArray());
        await command.ExecuteNonQueryAsync();
    }
}
