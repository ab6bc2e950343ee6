using System.Diagnostics;
using Npgsql;
using Personalization.Silo.Hosting;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server run as the 'postgres' user (it refuses root) in a folder of its own under /tmp, on a free
/// port. <see cref="Shared"/> is the one server of the test run (or the one named by ConnectionStrings__Postgres);
/// each test class takes a database of its own. Fault tests that stop the database start a dedicated server.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    /// <summary>Stopped and deleted once the test process is gone (<see cref="StopWhenThisProcessEnds"/>).</summary>
    private static readonly Lazy<PostgresServer> _shared = new(() =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } given
            ? new PostgresServer(given, folder: null)
            : Start());

    private readonly string? _folder;

    private PostgresServer(string connectionString, string? folder)
    {
        ServerConnectionString = connectionString;
        _folder = folder;
    }

    public static PostgresServer Shared => _shared.Value;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string ServerConnectionString { get; }

    /// <summary>Initializes and starts a new server (fsync and synchronous_commit on, PostgreSQL's defaults).</summary>
    public static PostgresServer Start()
    {
        var folder = Directory.CreateDirectory(Path.Combine("/tmp", $"personalization-test-pg-{Guid.NewGuid():N}")).FullName;
        var server = new PostgresServer($"Host=127.0.0.1;Port={FreePort.Pick()};Username=postgres;Database=postgres", folder);
        Run("chown", "postgres", folder);
        RunAsPostgres($"{Binaries}/initdb", "-D", server.DataFolder, "-U", "postgres", "-A", "trust", "--no-sync");
        server.Resume();
        server.StopWhenThisProcessEnds();
        return server;
    }

    /// <summary>
    /// Stops the server and deletes its folder once this process is gone, however it ends: the test host can be ended
    /// before its exit handlers have run, and a server left behind keeps running with hundreds of megabytes in /tmp.
    /// The watcher runs in a session of its own with its output closed, so that nothing waits for it.
    /// </summary>
    private void StopWhenThisProcessEnds()
    {
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; " +
            $"runuser -u postgres -- {Binaries}/pg_ctl -D '{DataFolder}' -m immediate -w stop; rm -rf '{_folder}'";
        var start = new ProcessStartInfo("setsid", ["bash", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process.Start(start)!.Dispose();
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var database = $"test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown: clients are disconnected), keeping its data.</summary>
    public void Stop() => RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");

    /// <summary>Starts the server again on the same port and data.</summary>
    public void Resume()
    {
        var port = new NpgsqlConnectionStringBuilder(ServerConnectionString).Port;
        RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataFolder, "-l", $"{_folder}/server.log", "-w", "-t", "60",
            "-o", $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");
    }

    public ValueTask DisposeAsync()
    {
        Destroy();
        return ValueTask.CompletedTask;
    }

    /// <summary>The server's data directory (pg_wal included) when this run started the server.</summary>
    public string DataFolder => $"{_folder ?? throw new InvalidOperationException("The server is not one this run started.")}/data";

    private void Destroy()
    {
        if (_folder is null || !Directory.Exists(_folder))
        {
            return;
        }

        try
        {
            RunAsPostgres($"{Binaries}/pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        Directory.Delete(_folder, recursive: true);
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
