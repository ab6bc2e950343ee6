using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Personalization.Grains.Persistence;
using Personalization.Grains.Users;
using Personalization.Silo.Privacy;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// What someone holding a store and its master key can open: persons' key ids and keys, and the user states sealed
/// with them. Read from the tables directly, with the silo's own key handling.
/// </summary>
public sealed class StoreSecrets(DbDataSource dataSource, string masterKey)
{
    private static readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(UserState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    /// <summary>The key id of the person's rows (journal user key, person_keys key id).</summary>
    public async Task<string> KeyIdOfAsync(string userId)
    {
        using var vault = await VaultAsync();
        return vault.KeyIdOf(userId);
    }

    /// <summary>The person's wrapped key as stored, or null.</summary>
    public async Task<PersonKeyTable.Row?> WrappedKeyAsync(string userId) =>
        await new PersonKeyTable(dataSource, await ServiceIdAsync()).FindAsync(await KeyIdOfAsync(userId));

    /// <summary>Master key ids of every stored key, the index key's included.</summary>
    public async Task<List<string>> MasterKeyIdsAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT master_key_id FROM person_keys");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Every user grain's state, opened with its person's key (a fresh vault: nothing cached from before).</summary>
    public async Task<List<UserState>> UserStatesAsync()
    {
        using var vault = await VaultAsync();
        await using var command = dataSource.CreateCommand("SELECT GrainIdExtensionString, PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'user'");
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<UserState>();
        while (await reader.ReadAsync())
        {
            var sealedState = _serializer.Deserialize<SealedState>((byte[])reader.GetValue(1))!;
            var key = await vault.FindAsync(vault.KeyIdOf(reader.GetString(0))) ?? throw new InvalidOperationException("A user state has no person key.");
            states.Add(_serializer.Deserialize<UserState>(key.Open(sealedState.Blob, PersonKey.GrainState))!);
        }

        return states;
    }

    private async Task<PersonKeyVault> VaultAsync()
    {
        var vault = new PersonKeyVault(
            dataSource,
            Options.Create(new PrivacyOptions { MasterKey = masterKey }),
            Options.Create(new ClusterOptions { ServiceId = await ServiceIdAsync() }),
            NullLogger<PersonKeyVault>.Instance);
        await vault.InitializeAsync();
        return vault;
    }

    /// <summary>The service of the store's index key: a test store holds one service.</summary>
    private async Task<string> ServiceIdAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT service_id FROM person_keys WHERE key_id = 'journal-index'");
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("The store has no index key: no silo has started on it.");
    }
}
