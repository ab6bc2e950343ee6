using Microsoft.Extensions.Options;

namespace Personalization.Silo.Transport;

/// <summary>
/// Mutual TLS between the silos and between gateways and silos (configuration section "Orleans:Tls"), in cluster mode.
/// Every node presents a certificate issued by the cluster's certificate authority and accepts only peers that do too.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>On by default: a cluster refuses to start without certificates unless this is false on purpose.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This node's certificate with its private key: a PKCS#12 (.pfx) file, or a PEM file.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/> when it is not in the same file.</summary>
    public string? CertificateKey { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of the cluster's certificate authorities (several while rotating): a peer must chain to one.</summary>
    public string? CertificateAuthority { get; set; }
}

/// <summary>Checks at start that TLS is configured and that this node's own certificate would be accepted by its peers.</summary>
public sealed class ClusterTlsOptionsValidator : IValidateOptions<ClusterTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Certificate) || string.IsNullOrWhiteSpace(options.CertificateAuthority))
        {
            return ValidateOptionsResult.Fail(
                "Cluster mode runs mutual TLS between silos and gateways: set Orleans:Tls:Certificate (this node's certificate) and " +
                "Orleans:Tls:CertificateAuthority (the cluster's CA), or Orleans:Tls:Enabled=false to leave the cluster's ports open on purpose.");
        }

        try
        {
            using var certificates = ClusterCertificates.Load(options);
            return certificates.Refusal(certificates.Certificate) is { } refusal
                ? ValidateOptionsResult.Fail($"Orleans:Tls:Certificate ({options.Certificate}) would be refused by the cluster's peers: {refusal}.")
                : ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            return ValidateOptionsResult.Fail($"Orleans:Tls: {e.Message}");
        }
    }
}
