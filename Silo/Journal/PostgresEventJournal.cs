using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;
using Personalization.Grains.Journal;
using Personalization.Grains.Telemetry;
using Personalization.Silo.Privacy;
using static Personalization.Silo.Storage.SqlParameters;

namespace Personalization.Silo.Journal;

/// <summary>
/// The journal on PostgreSQL, keyed by (service, user key, sequence) so that every silo finds a user's rows: the whole
/// batch goes as three arrays in one INSERT ... SELECT unnest(...), one round trip.
/// </summary>
public sealed class PostgresEventJournal(
    DbDataSource dataSource, Serializer serializer, PersonKeyVault keys, IOptions<ClusterOptions> cluster, SiloMetrics metrics,
    ILogger<GroupCommitJournal> logger)
    : GroupCommitJournal(dataSource, serializer, keys, cluster, metrics, logger)
{
    /// <summary>New persons' keys, as the batch's entries: arrays in one statement.</summary>
    protected override async Task<HashSet<string>> InsertKeysAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PersonKey> keys)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO person_keys (service_id, key_id, master_key_id, wrapped) " +
            "SELECT @service, k, m, w FROM unnest(@keys, @masters, @wrapped) AS batch(k, m, w) " +
            "ON CONFLICT DO NOTHING RETURNING key_id",
            (NpgsqlConnection)connection,
            (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("service", ServiceId);
        command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, keys.Select(k => k.Id).ToArray());
        command.Parameters.AddWithValue("masters", NpgsqlDbType.Array | NpgsqlDbType.Text, keys.Select(k => k.MasterKeyId).ToArray());
        command.Parameters.AddWithValue("wrapped", NpgsqlDbType.Array | NpgsqlDbType.Bytea, keys.Select(k => k.Wrapped).ToArray());
        return await ReturnedAsync(command, reader => reader.GetString(0));
    }

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
        return await ReturnedAsync(command, reader => (reader.GetString(0), reader.GetInt64(1)));
    }

    /// <summary>The rows an INSERT ... RETURNING inserted.</summary>
    private static async Task<HashSet<T>> ReturnedAsync<T>(NpgsqlCommand command, Func<DbDataReader, T> read)
    {
        var returned = new HashSet<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            returned.Add(read(reader));
        }

        return returned;
    }

    /// <summary>One user's entries after a sequence: found through the primary key (a test checks the plan).</summary>
    internal const string ReadSql =
        "SELECT seq, payload FROM event_journal WHERE service_id = @service AND user_key = @user AND seq > @after ORDER BY seq";

    /// <summary>Drops each user's entries through its sequence, found through the primary key like <see cref="ReadSql"/>.</summary>
    internal const string DeleteSql =
        "DELETE FROM event_journal USING unnest(@users, @throughs) AS batch(u, s) " +
        "WHERE service_id = @service AND user_key = batch.u AND seq <= batch.s";

    protected override async Task<List<(long Sequence, byte[] Payload)>> ReadRowsAsync(string userKey, long afterSequence)
    {
        await using var command = DataSource.CreateCommand(ReadSql);
        AddParameter(command, "service", ServiceId);
        AddParameter(command, "user", userKey);
        AddParameter(command, "after", afterSequence);
        await using var reader = await command.ExecuteReaderAsync();
        return await RowsOf(reader);
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
