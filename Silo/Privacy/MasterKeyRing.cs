using System.Security.Cryptography;
using System.Text;

namespace Personalization.Silo.Privacy;

/// <summary>
/// The current master key, which wraps every key written, and the previous ones, which can still unwrap keys written
/// before a rotation. A master key is named by the start of its SHA-256, so that a wrapped key says which one wrapped it.
/// </summary>
public sealed class MasterKeyRing
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly byte[] _current;

    public MasterKeyRing(byte[] current, IEnumerable<byte[]> previous)
    {
        _current = current;
        CurrentId = IdOf(current);
        _keys[CurrentId] = current;
        foreach (var key in previous)
        {
            _keys.TryAdd(IdOf(key), key);
        }
    }

    /// <summary>The ring of <paramref name="options"/>; their validation has checked every key.</summary>
    public static MasterKeyRing From(PrivacyOptions options) =>
        new(Parse(options.MasterKey) ?? throw new InvalidOperationException($"{PrivacyOptions.SectionName}:MasterKey is not set."),
            PreviousKeys(options).Select(k => Parse(k)!));

    public string CurrentId { get; }

    /// <summary><paramref name="key"/> sealed under the current master key, bound to <paramref name="slot"/> (where it is stored).</summary>
    public byte[] Wrap(byte[] key, string slot) => Sealing.Seal(_current, key, Encoding.UTF8.GetBytes(slot));

    /// <summary>The key wrapped by <paramref name="masterKeyId"/> into <paramref name="slot"/>; fails when that master key is not configured.</summary>
    public byte[] Unwrap(string masterKeyId, byte[] wrapped, string slot) =>
        _keys.TryGetValue(masterKeyId, out var master)
            ? Sealing.Open(master, wrapped, Encoding.UTF8.GetBytes(slot))
            : throw new InvalidOperationException(
                $"A person key is wrapped by master key {masterKeyId}, which is neither {PrivacyOptions.SectionName}:MasterKey nor in {PrivacyOptions.SectionName}:PreviousMasterKeys.");

    /// <summary>The 32-byte key of a base64 setting; null when unset or not 32 bytes of base64.</summary>
    public static byte[]? Parse(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[Sealing.KeySize + 1];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var length) && length == Sealing.KeySize ? buffer[..length] : null;
    }

    public static IEnumerable<string> PreviousKeys(PrivacyOptions options) =>
        (options.PreviousMasterKeys ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];
}
