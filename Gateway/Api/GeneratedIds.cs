using System.Security.Cryptography;

namespace Personalization.Gateway.Api;

/// <summary>
/// Ids the gateway makes up (a recommendation's, an event's sent without one): 32 lowercase hex digits of cryptographic
/// randomness, the shape of <c>Guid.NewGuid().ToString("N")</c>. They come from a buffer per thread refilled every 256
/// ids, because on Linux each <c>Guid.NewGuid</c> is a system call (a read of <c>/dev/urandom</c>) on every recommendation.
/// </summary>
public static class GeneratedIds
{
    private const int IdBytes = 16;
    private const int BufferBytes = 256 * IdBytes;

    [ThreadStatic] private static byte[]? t_random;

    /// <summary>Bytes of <see cref="t_random"/> handed out; a new buffer counts as all of them, so it is filled first.</summary>
    [ThreadStatic] private static int t_used;

    public static string Next()
    {
        if (t_random is null)
        {
            (t_random, t_used) = (new byte[BufferBytes], BufferBytes);
        }

        if (t_used == BufferBytes)
        {
            RandomNumberGenerator.Fill(t_random);
            t_used = 0;
        }

        var id = Convert.ToHexStringLower(t_random, t_used, IdBytes);
        t_used += IdBytes;
        return id;
    }
}
