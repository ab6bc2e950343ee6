using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace Personalization.Silo.Transport;

/// <summary>
/// The TLS settings of this node's cluster connections, built once from the validated <see cref="ClusterTlsOptions"/>:
/// a certificate required both ways, and accepted only from a member of the cluster. Null <see cref="Tls"/>: TLS is
/// switched off on purpose, which is said in the log.
/// </summary>
public sealed partial class ClusterTls : IDisposable
{
    private readonly ClusterCertificates? _certificates;
    private readonly ILogger<ClusterTls> _logger;

    public ClusterTls(IOptions<ClusterTlsOptions> options, ILogger<ClusterTls> logger)
    {
        _logger = logger;
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        _certificates = ClusterCertificates.Load(options.Value);
        Tls = new TlsOptions
        {
            LocalCertificate = _certificates.Certificate,
            // Both ways: a silo asks every connecting silo or client for its certificate, and presents its own.
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = Accept,
        };
        LogEnabled(logger, _certificates.Certificate.Subject, _certificates.Certificate.NotAfter);
    }

    public TlsOptions? Tls { get; }

    public void Dispose() => _certificates?.Dispose();

    private bool Accept(X509Certificate2 peer, X509Chain? presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (_certificates!.Refusal(peer, presented) is not { } refusal)
        {
            return true;
        }

        LogRefused(_logger, peer.Subject, peer.Thumbprint, refusal);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orleans:Tls:Enabled=false: the cluster's silo and gateway ports accept any peer that reaches them, unencrypted.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster transport: mutual TLS as {Subject}, certificate valid until {NotAfter:u}.")]
    private static partial void LogEnabled(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a cluster connection from {Subject} ({Thumbprint}): not a certificate of this cluster ({Refusal}).")]
    private static partial void LogRefused(ILogger logger, string subject, string thumbprint, string refusal);
}
