using System.Data.Common;
using static Personalization.Silo.Storage.SqlParameters;

namespace Personalization.Silo.Privacy;

/// <summary>
/// The person_keys table, in SQL that SQLite and PostgreSQL both run: one wrapped key per (service, key id), with the id
/// of the master key that wrapped it.
/// </summary>
public sealed class PersonKeyTable(DbDataSource dataSource, string serviceId)
{
    /// <summary>A wrapped key as stored.</summary>
    public sealed record Row(string KeyId, string MasterKeyId, byte[] Wrapped);

    public async Task<Row?> FindAsync(string keyId)
    {
        await using var command = Command(dataSource.CreateCommand(), "SELECT master_key_id, wrapped FROM person_keys WHERE service_id = @service AND key_id = @key");
        AddParameter(command, "key", keyId);
        return await ReadRowAsync(command, keyId);
    }

    /// <summary>Inserts <paramref name="row"/> unless its key id is taken, and returns the row stored: one statement (the no-op update returns the row that was there), and whoever wrote first wins.</summary>
    public async Task<Row> InsertOrGetAsync(Row row)
    {
        await using var command = Command(dataSource.CreateCommand(),
            "INSERT INTO person_keys (service_id, key_id, master_key_id, wrapped) VALUES (@service, @key, @master, @wrapped) " +
            "ON CONFLICT (service_id, key_id) DO UPDATE SET key_id = excluded.key_id RETURNING master_key_id, wrapped");
        AddParameter(command, "key", row.KeyId);
        AddParameter(command, "master", row.MasterKeyId);
        AddParameter(command, "wrapped", row.Wrapped);
        return await ReadRowAsync(command, row.KeyId) ?? throw new InvalidOperationException("A person key inserted was not found again.");
    }

    /// <summary>
    /// Inserts the keys within the caller's transaction (the journal inserts them with the entries sealed by them), a
    /// key id already taken left as it is; returns the key ids inserted.
    /// </summary>
    public async Task<HashSet<string>> InsertNewAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Row> rows)
    {
        await using var command = Command(connection.CreateCommand(),
            "INSERT INTO person_keys (service_id, key_id, master_key_id, wrapped) VALUES (@service, @key, @master, @wrapped) ON CONFLICT DO NOTHING");
        command.Transaction = transaction;
        var (key, master, wrapped) = (AddParameter(command, "key", string.Empty), AddParameter(command, "master", string.Empty), AddParameter(command, "wrapped", Array.Empty<byte>()));
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            (key.Value, master.Value, wrapped.Value) = (row.KeyId, row.MasterKeyId, row.Wrapped);
            if (await command.ExecuteNonQueryAsync() == 1)
            {
                inserted.Add(row.KeyId);
            }
        }

        return inserted;
    }

    /// <summary>Deletes the keys within the caller's transaction (the journal deletes the person's rows in the same one).</summary>
    public async Task DeleteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> keyIds)
    {
        await using var command = Command(connection.CreateCommand(), "DELETE FROM person_keys WHERE service_id = @service AND key_id = @key");
        command.Transaction = transaction;
        var key = AddParameter(command, "key", string.Empty);
        foreach (var keyId in keyIds)
        {
            key.Value = keyId;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every key not wrapped by <paramref name="masterKeyId"/>.</summary>
    public async Task<List<Row>> WrappedByOthersAsync(string masterKeyId)
    {
        await using var command = Command(dataSource.CreateCommand(), "SELECT key_id, master_key_id, wrapped FROM person_keys WHERE service_id = @service AND master_key_id <> @master");
        AddParameter(command, "master", masterKeyId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    /// <summary>
    /// Replaces each row's wrapping, only where it is still the one read: silos rotating at once each re-wrap a row
    /// at most once, and a key erased meanwhile stays erased. Returns the rows changed.
    /// </summary>
    public async Task<int> RewrapAsync(IEnumerable<(Row Old, Row New)> rewraps)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = Command(connection.CreateCommand(),
            "UPDATE person_keys SET master_key_id = @master, wrapped = @wrapped WHERE service_id = @service AND key_id = @key AND master_key_id = @old");
        command.Transaction = transaction;
        var (key, master, wrapped, old) = (AddParameter(command, "key", string.Empty), AddParameter(command, "master", string.Empty), AddParameter(command, "wrapped", Array.Empty<byte>()), AddParameter(command, "old", string.Empty));
        var changed = 0;
        foreach (var (before, after) in rewraps)
        {
            (key.Value, master.Value, wrapped.Value, old.Value) = (after.KeyId, after.MasterKeyId, after.Wrapped, before.MasterKeyId);
            changed += await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return changed;
    }

    private DbCommand Command(DbCommand command, string sql)
    {
        command.CommandText = sql;
        AddParameter(command, "service", serviceId);
        return command;
    }

    private static async Task<Row?> ReadRowAsync(DbCommand command, string keyId)
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Row(keyId, reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }
}
