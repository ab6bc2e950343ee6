using System.Security.Cryptography.X509Certificates;
using Personalization.Silo.Transport;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>What a node checks of its own TLS settings at start, before any peer sees them.</summary>
public sealed class ClusterTlsOptionsTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly ClusterTlsOptionsValidator _validator = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Without_certificates_the_cluster_refuses_to_start_unless_TLS_is_off_on_purpose()
    {
        var refused = _validator.Validate(null, new ClusterTlsOptions());

        Assert.True(refused.Failed);
        Assert.Contains("Orleans:Tls:Certificate", refused.FailureMessage);
        Assert.Contains("Orleans:Tls:Enabled=false", refused.FailureMessage);
        Assert.True(_validator.Validate(null, new ClusterTlsOptions { Enabled = false }).Succeeded);
    }

    [Fact]
    public void A_PEM_certificate_and_key_issued_by_the_configured_CA_are_accepted()
    {
        using var authority = TestCertificates.Authority("pem CA");
        using var node = TestCertificates.Issue("pem node", authority);
        File.WriteAllText(Path.Combine(_folder.Path, "node.key"), node.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var result = _validator.Validate(null, new ClusterTlsOptions
        {
            Certificate = TestCertificates.WritePem(_folder.Path, "node.pem", node),
            CertificateKey = Path.Combine(_folder.Path, "node.key"),
            CertificateAuthority = TestCertificates.WritePem(_folder.Path, "ca.pem", authority),
        });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_certificate_of_another_CA_is_refused_at_start_naming_the_file()
    {
        using var authority = TestCertificates.Authority("configured CA");
        using var other = TestCertificates.Authority("other CA");
        using var node = TestCertificates.Issue("node of the other CA", other);
        var certificate = TestCertificates.WritePfx(_folder.Path, "node.pfx", node);

        var result = _validator.Validate(null, new ClusterTlsOptions
        {
            Certificate = certificate,
            CertificateAuthority = TestCertificates.WritePem(_folder.Path, "ca.pem", authority),
        });

        Assert.True(result.Failed);
        Assert.Contains($"Orleans:Tls:Certificate ({certificate}) would be refused", result.FailureMessage);
    }

    [Fact]
    public void An_unreadable_CA_file_is_refused_naming_it()
    {
        var authority = Path.Combine(_folder.Path, "ca.pem");
        File.WriteAllText(authority, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var result = _validator.Validate(null, new ClusterTlsOptions { Certificate = TestCertificates.Cluster.Certificate, CertificateAuthority = authority });

        Assert.True(result.Failed);
        Assert.Contains($"Orleans:Tls:CertificateAuthority ({authority})", result.FailureMessage);
    }
}
