using System.Text;

namespace Personalization.Silo.Privacy;

/// <summary>
/// One person's data key, unwrapped, with its wrapped form as stored (or about to be, see <see cref="Stored"/>). What it
/// seals names its kind as associated data, so that a journal payload cannot be read back as a state or the reverse.
/// </summary>
public sealed class PersonKey(string id, byte[] key, string masterKeyId, byte[] wrapped)
{
    public static readonly byte[] JournalPayload = Encoding.UTF8.GetBytes("journal");
    public static readonly byte[] GrainState = Encoding.UTF8.GetBytes("state");

    /// <summary>The person's key in the store: HMAC-SHA256 of the user id, in hex (the journal's user key too).</summary>
    public string Id { get; } = id;

    public string MasterKeyId { get; } = masterKeyId;

    public byte[] Wrapped { get; } = wrapped;

    /// <summary>False for a new person's key until a commit has written it: the first journal append inserts it.</summary>
    public bool Stored { get; internal set; }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, byte[] kind) => Sealing.Seal(key, plaintext, kind);

    public byte[] Open(ReadOnlySpan<byte> sealedBytes, byte[] kind) => Sealing.Open(key, sealedBytes, kind);
}
