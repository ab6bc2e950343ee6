using System.Diagnostics;
using Npgsql;
using Personalization.Silo.Journal;

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

    public async Task<long> JournalRowsAsync(string userId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM event_journal WHERE user_key = @key", connection);
        command.Parameters.AddWithValue("key", GroupCommitJournal.UserKey(userId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<byte[]>> UserStatePayloadsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'user'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var payloads = new List<byte[]>();
        while (await reader.ReadAsync())
        {
            payloads.Add((byte[])reader.GetValue(0));
        }

        return payloads;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
