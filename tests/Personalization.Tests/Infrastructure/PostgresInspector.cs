using System.Diagnostics;
using Npgsql;

namespace Personalization.Tests.Infrastructure;

/// <summary>Reads a cluster's PostgreSQL database directly, and dumps it with pg_dump.</summary>
public sealed class PostgresInspector(string connectionString) : IStoreInspector
{
    public async Task<string> DumpAsync()
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_dump")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--dbname", $"host={settings.Host} port={settings.Port} user={settings.Username} dbname={settings.Database}" },
        };
        if (settings.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        var dump = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await dump;
    }

    public StoreSecrets Secrets => new(NpgsqlDataSource.Create(connectionString), TestSettings.MasterKey);

    public async Task<long> JournalRowsAsync(string userId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM event_journal WHERE user_key = @key", connection);
        command.Parameters.AddWithValue("key", await Secrets.KeyIdOfAsync(userId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
