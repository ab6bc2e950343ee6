using System.IO.Hashing;
using System.Text;

namespace Personalization.Model;

/// <summary>Process- and platform-independent hashes of ids: shard placement and hashed embeddings must never change.</summary>
public static class IdHash
{
    public static ulong Of(string value)
    {
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(value.Length, 512))];
        if (value.Length > 512)
        {
            return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(value));
        }

        var written = Encoding.UTF8.GetBytes(value, buffer);
        return XxHash64.HashToUInt64(buffer[..written]);
    }

    /// <summary>Maps a key to one of <paramref name="buckets"/> buckets, uniformly and stably.</summary>
    public static int Bucket(string value, int buckets) => (int)(Of(value) % (ulong)buckets);
}
