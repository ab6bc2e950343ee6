using Microsoft.Data.Sqlite;

namespace Personalization.Silo.Storage;

/// <summary>The standalone store: one SQLite file in WAL mode with synchronous=FULL, schema applied on start.</summary>
public static class SqliteStore
{
    /// <summary>Orleans' ADO.NET invariant for SQLite; it loads the Microsoft.Data.Sqlite provider.</summary>
    public const string Invariant = "System.Data.SQLite";
    public const string FileName = "personalization.db";

    public static string ConnectionString(string dataPath) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(dataPath), FileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the folder and file if needed and applies the schema (idempotent).</summary>
    public static void ApplySchema(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        using var connection = new SqliteConnection(ConnectionString(dataPath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = EmbeddedSql.Read("sqlite-schema.sql");
        command.ExecuteNonQuery();
    }
}
