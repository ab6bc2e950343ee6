namespace Personalization.Tests.Infrastructure;

/// <summary>Looks into a gateway's store directly, not through the code under test.</summary>
public interface IStoreInspector
{
    /// <summary>What an attacker with the storage would see: SQLite's files as bytes, or a plain-text pg_dump.</summary>
    Task<string> DumpAsync();

    /// <summary>Journal rows of the user (the journal keys users by an HMAC of their id).</summary>
    Task<long> JournalRowsAsync(string userId);

    /// <summary>The store's keys and what they open, with the store's master key.</summary>
    StoreSecrets Secrets { get; }
}
