using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Persistence;

namespace Personalization.Silo.Privacy;

public static class PrivacyHosting
{
    /// <summary>
    /// Persons' keys on <paramref name="dataSource"/> (initialized, and re-wrapped after a rotation, when the silo
    /// starts) and the grain storage that seals persons' states on top of the default one. The master key comes from
    /// <c>Privacy:MasterKey</c>; when it is unset, <paramref name="fallbackMasterKey"/> gives one (standalone) or the
    /// silo refuses to start (null: cluster).
    /// </summary>
    public static ISiloBuilder AddPersonKeys(this ISiloBuilder silo, DbDataSource dataSource, Func<string>? fallbackMasterKey)
    {
        var options = silo.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.SectionName);
        if (fallbackMasterKey is not null)
        {
            options.PostConfigure(o => o.MasterKey = string.IsNullOrWhiteSpace(o.MasterKey) ? fallbackMasterKey() : o.MasterKey);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.MasterKey),
                "Cluster mode needs Privacy:MasterKey (environment: Privacy__MasterKey), the base64 of 32 random bytes, e.g. `openssl rand -base64 32`; every silo of the cluster takes the same one.")
            .Validate(o => string.IsNullOrWhiteSpace(o.MasterKey) || MasterKeyRing.Parse(o.MasterKey) is not null, "Privacy:MasterKey must be the base64 of exactly 32 bytes.")
            .Validate(o => MasterKeyRing.PreviousKeys(o).All(k => MasterKeyRing.Parse(k) is not null),
                "Privacy:PreviousMasterKeys must be comma-separated base64 values of exactly 32 bytes each.")
            .Validate(o => o.KeyCacheCapacity >= 1, "Privacy:KeyCacheCapacity must be at least 1.")
            .ValidateOnStart();

        silo.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<PersonKeyVault>(services, dataSource));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new VaultStartup(services.GetRequiredService<PersonKeyVault>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(SealedState.StorageName, (services, _) => new SealedGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME),
            services.GetRequiredService<PersonKeyVault>(),
            services.GetRequiredService<Serializer>()));
        return silo;
    }

    /// <summary>Initializes the vault once storage is up and before grains take calls.</summary>
    private sealed class VaultStartup(PersonKeyVault vault) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(PersonKeyVault), ServiceLifecycleStage.ApplicationServices, _ => vault.InitializeAsync());
    }
}
