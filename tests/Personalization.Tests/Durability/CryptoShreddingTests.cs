using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Personalization.Silo.Privacy;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Durability;

/// <summary>
/// Erasure by crypto-shredding, on real processes and the store's own files: what a person sends never reaches a file
/// in the clear, erasure deletes the person's key, and after a master-key rotation a copy of that key saved before the
/// erasure no longer opens while every remaining person reads back whole.
/// </summary>
public abstract class CryptoShreddingTests
{
    private const string ServiceId = "personalization";
    private static readonly string _keyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string _keyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_marker_sent_in_a_persons_events_is_in_no_file_of_the_store_and_erase_deletes_the_persons_key()
    {
        var marker = "marker" + Guid.NewGuid().ToString("N");
        var person = Catalog.NewId("person");
        await using (var deployment = await StartAsync(_keyA))
        {
            await SendAsync(deployment.Client(), person, marker, batches: 3);
            await SendAsync(deployment.Client(), Catalog.NewId("other"), marker: null, batches: 1);
            await AssertMarkerInNoFileAsync(marker);
            await deployment.StopAsync();
        }

        // The graceful stop wrote the person's state (its interactions hold the marker): sealed, it is not in the files either.
        await AssertMarkerInNoFileAsync(marker);
        var secrets = Secrets(_keyA);
        Assert.Contains(await secrets.UserStatesAsync(), state => state.Interactions.Any(e => e.EventId.StartsWith(marker, StringComparison.Ordinal)));
        Assert.NotNull(await secrets.WrappedKeyAsync(person));

        await using (var deployment = await StartAsync(_keyA))
        {
            var client = deployment.Client();
            Assert.Equal(30, (long)(await client.GetOkAsync($"/v1/users/{person}"))["interactionCount"]!);
            using (var erased = await client.DeleteAsync($"/v1/users/{person}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
            }

            await AssertMarkerInNoFileAsync(marker);
            Assert.Null(await secrets.WrappedKeyAsync(person));
            Assert.Equal(0, (long)(await client.GetOkAsync($"/v1/users/{person}"))["interactionCount"]!);
        }
    }

    [Fact]
    public async Task After_a_rotation_a_key_saved_before_an_erase_does_not_open_and_a_restart_on_the_new_key_alone_reads_every_remaining_user()
    {
        var kept = Enumerable.Range(0, 4).Select(_ => Catalog.NewId("kept")).ToArray();
        var gone = Catalog.NewId("gone");
        var history = new Dictionary<string, string[]>();
        PersonKeyTable.Row saved;
        await using (var deployment = await StartAsync(_keyA))
        {
            var client = deployment.Client();
            foreach (var user in kept.Append(gone))
            {
                await SendAsync(client, user, marker: null, batches: 2);
            }

            foreach (var user in kept)
            {
                history[user] = await InteractionIdsAsync(client, user);
            }

            saved = (await Secrets(_keyA).WrappedKeyAsync(gone))!;
            using var erased = await client.DeleteAsync($"/v1/users/{gone}");
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

            // No snapshot: the kept users' events are only in the journal, which the restarts below must read.
            await deployment.KillAsync();
        }

        await using (var rotating = await StartAsync(_keyB, previousKeys: _keyA))
        {
            await rotating.StopAsync();
        }

        var keyB = Convert.FromBase64String(_keyB);
        var slot = Encoding.UTF8.GetBytes($"{ServiceId}/{saved.KeyId}");
        Assert.Equal(new MasterKeyRing(keyB, []).CurrentId, Assert.Single((await Secrets(_keyB).MasterKeyIdsAsync()).Distinct()));
        Assert.NotEmpty(Sealing.Open(Convert.FromBase64String(_keyA), saved.Wrapped, slot));
        Assert.ThrowsAny<CryptographicException>(() => Sealing.Open(keyB, saved.Wrapped, slot));

        await using var restarted = await StartAsync(_keyB);
        var after = restarted.Client();
        foreach (var user in kept)
        {
            Assert.Equal(history[user], await InteractionIdsAsync(after, user));
        }

        Assert.Empty(await InteractionIdsAsync(after, gone));
    }

    /// <summary>The store's hosts, started on <paramref name="masterKey"/> (and re-wrapping keys of <paramref name="previousKeys"/>).</summary>
    protected abstract Task<Deployment> StartAsync(string masterKey, string? previousKeys = null);

    /// <summary>Every file the store writes to (database, WAL, everything in its folders).</summary>
    protected abstract IEnumerable<string> StoreFiles();

    /// <summary>Gets written pages into the files (PostgreSQL: a checkpoint), so that the scan sees them there too.</summary>
    protected abstract Task FlushAsync();

    protected abstract StoreSecrets Secrets(string masterKey);

    protected static Dictionary<string, string> Settings(string masterKey, string? previousKeys) => previousKeys is null
        ? new() { ["Privacy:MasterKey"] = masterKey }
        : new() { ["Privacy:MasterKey"] = masterKey, ["Privacy:PreviousMasterKeys"] = previousKeys };

    /// <summary>
    /// Batches of 10 events whose ids and session ids carry <paramref name="marker"/> among 200 random characters: a
    /// payload that compression cannot shrink, so that the store keeps it as sent (a compressed copy would hide the marker).
    /// </summary>
    private static async Task SendAsync(HttpClient client, string user, string? marker, int batches)
    {
        for (var batch = 0; batch < batches; batch++)
        {
            await client.PostEventsAsync([.. Enumerable.Range(0, 10).Select(i => (object)new
            {
                eventId = $"{marker ?? "event"}-{RandomText(200)}",
                userId = user,
                itemId = $"shred-item-{i}",
                type = "click",
                sessionId = $"{marker ?? "session"}-{RandomText(200)}",
            })]);
        }
    }

    private static string RandomText(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", length);

    private static async Task<string[]> InteractionIdsAsync(HttpClient client, string user) =>
        [.. (await client.GetOkAsync($"/v1/users/{user}/export"))["interactions"]!.AsArray().Select(e => (string)e!["eventId"]!).Order(StringComparer.Ordinal)];

    private async Task AssertMarkerInNoFileAsync(string marker)
    {
        await FlushAsync();
        var pattern = Encoding.UTF8.GetBytes(marker);
        var scanned = 0;
        foreach (var file in StoreFiles())
        {
            byte[] content;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                content = new byte[stream.Length];
                stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            }
            catch (FileNotFoundException)
            {
                continue; // A WAL segment recycled or a temporary file removed meanwhile.
            }

            scanned++;
            Assert.True(content.AsSpan().IndexOf(pattern) < 0, $"The marker is in {file}.");
        }

        Assert.True(scanned > 0, "No file of the store was scanned.");
    }

    /// <summary>The hosts of one start: a standalone gateway, or a silo and a cluster gateway.</summary>
    protected sealed class Deployment(TestHost gateway, TestHost? silo) : IAsyncDisposable
    {
        public HttpClient Client() => gateway.Client();

        /// <summary>Graceful: grains write their state as they deactivate.</summary>
        public async Task StopAsync()
        {
            await gateway.StopAsync();
            if (silo is not null)
            {
                await silo.StopAsync();
            }
        }

        /// <summary>SIGKILL of the process holding the grains: what they hold since their last snapshot is only in the journal.</summary>
        public Task KillAsync() => (silo ?? gateway).KillAsync();

        public async ValueTask DisposeAsync()
        {
            await gateway.DisposeAsync();
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }
    }
}

public sealed class SqliteCryptoShreddingTests : CryptoShreddingTests, IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    protected override async Task<Deployment> StartAsync(string masterKey, string? previousKeys = null) =>
        new(await TestHost.StandaloneGatewayAsync(_data.Path, Settings(masterKey, previousKeys)), silo: null);

    protected override IEnumerable<string> StoreFiles() => Directory.EnumerateFiles(_data.Path, "*", SearchOption.AllDirectories);

    protected override Task FlushAsync() => Task.CompletedTask;

    protected override StoreSecrets Secrets(string masterKey) => new(new Silo.Storage.SqliteDataSource(Silo.Storage.SqliteStore.ConnectionString(_data.Path)), masterKey);
}

/// <summary>On a PostgreSQL server of its own: its whole data directory is scanned, pg_wal included.</summary>
public sealed class PostgresCryptoShreddingTests : CryptoShreddingTests, IAsyncLifetime
{
    private readonly PostgresServer _server = PostgresServer.Start();
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await _server.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A cluster of its own each time (same service, so the same data): a silo killed before is no member to wait for.</summary>
    protected override async Task<Deployment> StartAsync(string masterKey, string? previousKeys = null)
    {
        var cluster = new Dictionary<string, string> { ["Orleans:ClusterId"] = "shredding-" + Guid.NewGuid().ToString("N") };
        var silo = await TestHost.SiloAsync(_connectionString, new Dictionary<string, string>(Settings(masterKey, previousKeys).Concat(cluster)));
        return new(await TestHost.ClusterGatewayAsync(_connectionString, cluster), silo);
    }

    protected override IEnumerable<string> StoreFiles() => Directory.EnumerateFiles(_server.DataFolder, "*", SearchOption.AllDirectories);

    protected override async Task FlushAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    protected override StoreSecrets Secrets(string masterKey) => new(NpgsqlDataSource.Create(_connectionString), masterKey);
}
