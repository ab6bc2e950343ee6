using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// Certificates made in process for the tests (never committed): the cluster's CA and a node certificate it issued,
/// written once per test run for the silo and gateway processes; and certificates that are not the cluster's.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<TestCertificateFiles> _cluster = new(() =>
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "personalization-tests", $"tls-{Guid.NewGuid():N}")).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        using var authority = Authority("test cluster CA");
        using var node = Issue("test cluster node", authority);
        return new TestCertificateFiles(folder, WritePem(folder, "ca.pem", authority), WritePfx(folder, "node.pfx", node));
    });

    /// <summary>The tests' cluster: every silo and gateway process of the suite presents this node certificate.</summary>
    public static TestCertificateFiles Cluster => _cluster.Value;

    /// <summary>Settings of a host of the tests' cluster.</summary>
    public static IReadOnlyDictionary<string, string> ClusterSettings => new Dictionary<string, string>
    {
        ["Orleans:Tls:Certificate"] = Cluster.Certificate,
        ["Orleans:Tls:CertificateAuthority"] = Cluster.Authority,
    };

    /// <summary>A certificate authority of its own (self-signed, may issue certificates).</summary>
    public static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    /// <summary>A certificate for both TLS roles, issued by <paramref name="authority"/>, or self-signed without one.</summary>
    public static X509Certificate2 Issue(string name, X509Certificate2? authority = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var (notBefore, notAfter) = (DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddDays(1));
        if (authority is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        using var issued = request.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate with its private key as a PKCS#12 file without password; returns its path.</summary>
    public static string WritePfx(string folder, string name, X509Certificate2 certificate)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }

    /// <summary>The certificates (no keys) in one PEM file, as a CA bundle is written; returns its path.</summary>
    public static string WritePem(string folder, string name, params X509Certificate2[] certificates)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }
}

/// <summary>Where the tests' cluster certificates are: the CA (PEM) and the node certificate with its key (PKCS#12).</summary>
public sealed record TestCertificateFiles(string Folder, string Authority, string Certificate);
