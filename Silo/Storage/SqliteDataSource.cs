using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Personalization.Silo.Storage;

/// <summary>
/// Hands the storage provider SQLite connections that are set up for durability and erasure on every open:
/// synchronous=FULL (a commit is fsynced before it returns) and secure_delete (deleted rows are overwritten).
/// </summary>
public sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA busy_timeout = 30000;";

    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == ConnectionState.Open)
            {
                using var command = connection.CreateCommand();
                command.CommandText = ConnectionPragmas;
                command.ExecuteNonQuery();
            }
        };
        return connection;
    }
}
