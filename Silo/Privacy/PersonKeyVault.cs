using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Personalization.Silo.Privacy;

/// <summary>
/// Every person's data key, stored wrapped by the master key in person_keys and kept unwrapped in a bounded cache; and
/// the index key under which a person's id becomes the key id of the person's rows (HMAC-SHA256), itself wrapped in the
/// same table so that rotating the master key re-wraps it instead of re-keying every row. <see cref="InitializeAsync"/>
/// runs once when the silo starts, before any grain call.
/// </summary>
public sealed class PersonKeyVault : IDisposable
{
    /// <summary>The key id of the index key's row: not hex, so no person's key id can take it.</summary>
    private const string IndexKeyId = "journal-index";

    private readonly MasterKeyRing _masterKeys;
    private readonly PersonKeyTable _table;
    private readonly string _serviceId;
    private readonly ILogger<PersonKeyVault> _logger;
    private readonly MemoryCache _cache;
    private readonly Lock _creating = new();
    private byte[]? _indexKey;

    public PersonKeyVault(DbDataSource dataSource, IOptions<PrivacyOptions> options, IOptions<ClusterOptions> cluster, ILogger<PersonKeyVault> logger)
    {
        _masterKeys = MasterKeyRing.From(options.Value);
        _serviceId = cluster.Value.ServiceId;
        _table = new PersonKeyTable(dataSource, _serviceId);
        _logger = logger;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.KeyCacheCapacity });
    }

    /// <summary>
    /// Re-wraps every key still wrapped by a previous master key (rotation), then loads the index key, creating it on a
    /// new store. Idempotent, and safe with several silos starting at once.
    /// </summary>
    public async Task InitializeAsync()
    {
        var stale = await _table.WrappedByOthersAsync(_masterKeys.CurrentId);
        if (stale.Count > 0)
        {
            var changed = await _table.RewrapAsync(stale.Select(row => (row, Wrap(row.KeyId, Unwrap(row)))));
            _logger.LogWarning("Re-wrapped {Changed} of {Stale} person keys under the current master key {MasterKey}", changed, stale.Count, _masterKeys.CurrentId);
        }

        var index = await _table.InsertOrGetAsync(Wrap(IndexKeyId, Sealing.NewKey()));
        _indexKey = Unwrap(index);
    }

    /// <summary>The key id of a person's rows: HMAC-SHA256 of the id under the index key, so that the id itself is never stored.</summary>
    public string KeyIdOf(string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(
            _indexKey ?? throw new InvalidOperationException("The person key vault is used before the silo initialized it."),
            Encoding.UTF8.GetBytes(userId)));

    /// <summary>The person's key, or null when none is stored (nothing was written, or the person was erased).</summary>
    public async ValueTask<PersonKey?> FindAsync(string keyId)
    {
        if (_cache.TryGetValue(keyId, out PersonKey? cached))
        {
            return cached;
        }

        if (await _table.FindAsync(keyId) is not { } row)
        {
            return null;
        }

        var key = new PersonKey(keyId, Unwrap(row), row.MasterKeyId, row.Wrapped) { Stored = true };
        Cache(key);
        return key;
    }

    /// <summary>
    /// The key to seal a write with. For a new person, a key made now and not yet <see cref="PersonKey.Stored"/>: the
    /// caller stores it with the write (the journal inserts it in its group commit, so a new person costs no round trip
    /// of its own) or through <see cref="StoreAsync"/>.
    /// </summary>
    public async ValueTask<PersonKey> ForWriteAsync(string keyId)
    {
        if (await FindAsync(keyId) is { } key)
        {
            return key;
        }

        // Writes of one person that both found no key share the first one made.
        lock (_creating)
        {
            if (_cache.TryGetValue(keyId, out PersonKey? made))
            {
                return made!;
            }

            var secret = Sealing.NewKey();
            var row = Wrap(keyId, secret);
            key = new PersonKey(keyId, secret, row.MasterKeyId, row.Wrapped);
            Cache(key);
            return key;
        }
    }

    /// <summary>Stores a key on its own; returns the key the store holds (another activation's if it stored one first).</summary>
    public async Task<PersonKey> StoreAsync(PersonKey key)
    {
        if (key.Stored)
        {
            return key;
        }

        var row = await _table.InsertOrGetAsync(new PersonKeyTable.Row(key.Id, key.MasterKeyId, key.Wrapped));
        var stored = row.Wrapped.AsSpan().SequenceEqual(key.Wrapped) ? key : new PersonKey(key.Id, Unwrap(row), row.MasterKeyId, row.Wrapped);
        MarkStored(stored);
        return stored;
    }

    /// <summary>The key is in the store now (its insert committed).</summary>
    public void MarkStored(PersonKey key)
    {
        key.Stored = true;
        Cache(key);
    }

    /// <summary>Drops a key from the cache: erased, or its insert lost to another activation's.</summary>
    public void Forget(string keyId) => _cache.Remove(keyId);

    /// <summary>Inserts new persons' keys within the caller's transaction, a key id already taken left as it is; <see cref="MarkStored"/> those inserted once it commits.</summary>
    public Task<HashSet<string>> InsertNewAsync(DbConnection connection, DbTransaction transaction, IEnumerable<PersonKey> keys) =>
        _table.InsertNewAsync(connection, transaction, keys.Select(k => new PersonKeyTable.Row(k.Id, k.MasterKeyId, k.Wrapped)));

    /// <summary>Deletes persons' keys within the caller's transaction; <see cref="Forget"/> them once it commits.</summary>
    public Task DeleteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> keyIds) =>
        _table.DeleteAsync(connection, transaction, keyIds);

    public void Dispose() => _cache.Dispose();

    /// <summary>A key not stored yet must not be evicted: the write that stores it still needs it.</summary>
    private void Cache(PersonKey key) =>
        _cache.Set(key.Id, key, new MemoryCacheEntryOptions { Size = 1, Priority = key.Stored ? CacheItemPriority.Normal : CacheItemPriority.NeverRemove });

    private PersonKeyTable.Row Wrap(string keyId, byte[] key) => new(keyId, _masterKeys.CurrentId, _masterKeys.Wrap(key, Slot(keyId)));

    private byte[] Unwrap(PersonKeyTable.Row row) => _masterKeys.Unwrap(row.MasterKeyId, row.Wrapped, Slot(row.KeyId));

    /// <summary>Binds a wrapped key to its row: copied to another person's row or another service's, it does not open.</summary>
    private string Slot(string keyId) => _serviceId + "/" + keyId;
}
