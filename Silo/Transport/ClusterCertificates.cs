using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Personalization.Silo.Transport;

/// <summary>
/// This node's certificate and the cluster's certificate authorities, loaded from files, and the one rule of the
/// cluster's transport: a peer is a member when its certificate chains to one of those authorities. Host names are not
/// checked: silos come and go on addresses that nobody can name in advance; holding a key the CA certified is the proof.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private static readonly Oid _serverAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid _clientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Authorities { get; }

    /// <summary>Reads the files named by <paramref name="options"/>; an unreadable file is an error naming it.</summary>
    public static ClusterCertificates Load(ClusterTlsOptions options)
    {
        var authorities = LoadAuthorities(options.CertificateAuthority!);
        var certificate = LoadCertificate(options);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidDataException($"Orleans:Tls:Certificate ({options.Certificate}) holds no private key (for PEM, give it in the same file or in Orleans:Tls:CertificateKey).");
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault()?.EnhancedKeyUsages is { } usages
            && !(Contains(usages, _serverAuthentication) && Contains(usages, _clientAuthentication)))
        {
            throw new InvalidDataException($"Orleans:Tls:Certificate ({options.Certificate}) must allow both serverAuth and clientAuth: every node is the server of some connections and the client of others.");
        }

        return new ClusterCertificates(certificate, authorities);
    }

    /// <summary>
    /// Why <paramref name="peer"/> is not a certificate of this cluster (not issued by one of its authorities, expired,
    /// not yet valid), or null when it is. <paramref name="presented"/> holds the intermediates the peer sent, if any.
    /// </summary>
    public string? Refusal(X509Certificate2 peer, X509Chain? presented = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        // A private CA publishes no revocation list, and a node must not reach out to the internet to check a peer.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var element in presented?.ChainElements ?? Enumerable.Empty<X509ChainElement>())
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(peer)
            ? null
            : string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct());
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }

    private static X509Certificate2 LoadCertificate(ClusterTlsOptions options)
    {
        var path = options.Certificate!;
        var password = string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword;
        var key = string.IsNullOrWhiteSpace(options.CertificateKey) ? null : options.CertificateKey;
        try
        {
            if (!IsPem(path))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }

            return password is null
                ? X509Certificate2.CreateFromPemFile(path, key)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, key);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"Orleans:Tls:Certificate ({path}{(key is null ? "" : $", key {key}")}) cannot be read: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            if (IsPem(path))
            {
                authorities.ImportFromPemFile(path);
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"Orleans:Tls:CertificateAuthority ({path}) cannot be read: {e.Message}", e);
        }

        return authorities.Count > 0
            ? authorities
            : throw new InvalidDataException($"Orleans:Tls:CertificateAuthority ({path}) holds no certificate.");
    }

    private static bool IsPem(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[64];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.ASCII.GetString(start[..read]).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    private static bool Contains(OidCollection usages, Oid usage) =>
        usages.Cast<Oid>().Any(candidate => candidate.Value == usage.Value);
}
