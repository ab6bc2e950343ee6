using System.Security.Cryptography;

namespace Personalization.Silo.Privacy;

/// <summary>
/// AES-256-GCM as stored: a fresh random nonce, then the ciphertext, then the tag. The associated data binds a blob to
/// what it is (a person's key to its row, a payload to its kind), so that one cannot be moved into the place of another.
/// </summary>
public static class Sealing
{
    public const int KeySize = 32;

    private static readonly int _nonceSize = AesGcm.NonceByteSizes.MaxSize;
    private static readonly int _tagSize = AesGcm.TagByteSizes.MaxSize;

    /// <summary>A new random 256-bit key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[_nonceSize + plaintext.Length + _tagSize];
        var nonce = sealedBytes.AsSpan(0, _nonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, _tagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(_nonceSize, plaintext.Length), sealedBytes.AsSpan(_nonceSize + plaintext.Length), associatedData);
        return sealedBytes;
    }

    /// <summary>The plaintext; <see cref="AuthenticationTagMismatchException"/> when the key or associated data is not the sealing one.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBytes.Length < _nonceSize + _tagSize)
        {
            throw new CryptographicException("A sealed blob is shorter than its nonce and tag.");
        }

        var plaintext = new byte[sealedBytes.Length - _nonceSize - _tagSize];
        using var aes = new AesGcm(key, _tagSize);
        aes.Decrypt(sealedBytes[.._nonceSize], sealedBytes.Slice(_nonceSize, plaintext.Length), sealedBytes[^_tagSize..], plaintext, associatedData);
        return plaintext;
    }
}
