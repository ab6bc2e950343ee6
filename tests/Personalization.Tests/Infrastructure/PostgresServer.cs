using System.Diagnostics;
using Npgsql;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run (started on first use, stopped when the run ends), or the one
/// named by ConnectionStrings__Postgres when that is set. Each test class takes a database of its own.
/// </summary>
public static class PostgresServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<string> _server = new(Start);

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.Value) { Pooling = false };
        var database = $"test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_server.Value) { Database = database }.ConnectionString;
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } given)
        {
            return given;
        }

        // The server refuses to run as root: it runs as 'postgres' in a folder of its own under /tmp.
        var folder = Directory.CreateDirectory(Path.Combine("/tmp", $"personalization-test-pg-{Guid.NewGuid():N}")).FullName;
        var port = FreePort.Pick();
        Run("chown", "postgres", folder);
        RunAsPostgres($"{Binaries}/initdb", "-D", $"{folder}/data", "-U", "postgres", "-A", "trust", "--no-sync");
        RunAsPostgres($"{Binaries}/pg_ctl", "-D", $"{folder}/data", "-l", $"{folder}/server.log", "-w", "-t", "60",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunAsPostgres($"{Binaries}/pg_ctl", "-D", $"{folder}/data", "-m", "immediate", "-w", "stop");
            Directory.Delete(folder, recursive: true);
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private static void RunAsPostgres(string program, params string[] arguments) =>
        Run("runuser", ["-u", "postgres", "--", program, .. arguments]);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }
}
