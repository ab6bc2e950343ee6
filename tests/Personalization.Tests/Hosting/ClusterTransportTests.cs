using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Personalization.Interfaces;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>
/// Mutual TLS on the cluster's ports, against a silo process of the tests' cluster: a peer with a certificate of the
/// cluster gets the Orleans protocol; one without a certificate, or with a certificate that is not the cluster's
/// (self-signed, or issued by another CA), is cut off after the handshake, and an Orleans client holding one cannot call.
/// </summary>
public sealed class ClusterTransportTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private TestHost _silo = null!;

    public async Task InitializeAsync() => _silo = await TestHost.SiloAsync(await PostgresServer.Shared.CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>On the gateway port the client speaks first: the Orleans client below shows that port open to the cluster.</summary>
    [Fact]
    public async Task A_peer_with_the_cluster_certificate_gets_the_Orleans_protocol_on_the_silo_port()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(TestCertificates.Cluster.Certificate, null);

        Assert.True(await SpeaksOrleansAsync(_silo.SiloPort!.Value, certificate));
    }

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task A_peer_without_a_cluster_certificate_is_cut_off_on_both_ports(Stranger stranger)
    {
        var (certificate, _) = Make(stranger);
        using (certificate)
        {
            Assert.False(await SpeaksOrleansAsync(_silo.SiloPort!.Value, certificate));
            Assert.False(await SpeaksOrleansAsync(_silo.GatewayPort!.Value, certificate));
        }
    }

    [Fact]
    public async Task An_Orleans_client_with_the_cluster_certificate_calls_grains()
    {
        using var client = await ClusterObserver.ThroughGatewayAsync(_silo.GatewayPort!.Value);

        var profile = await client.Client.GetGrain<IUserGrain>(Catalog.NewId("user")).GetProfileAsync();

        Assert.Equal(0, profile.InteractionCount);
    }

    /// <summary>
    /// Two strangers here, a plain client and one with a certificate of another CA that trusts the cluster's; the
    /// self-signed one is refused at the handshake above.
    /// </summary>
    [Theory]
    [InlineData(Stranger.NoCertificate)]
    [InlineData(Stranger.OtherAuthority)]
    public async Task An_Orleans_client_without_a_cluster_certificate_cannot_connect(Stranger stranger)
    {
        var (certificate, authorities) = Make(stranger);
        using (certificate)
        {
            // The stranger trusts the cluster's CA (and its own certificate): only the silo's refusal keeps it out.
            var tls = certificate is null
                ? new Dictionary<string, string> { ["Orleans:Tls:Enabled"] = "false" }
                : new Dictionary<string, string>
                {
                    ["Orleans:Tls:Certificate"] = TestCertificates.WritePfx(_folder.Path, $"{stranger}.pfx", certificate),
                    ["Orleans:Tls:CertificateAuthority"] = TestCertificates.WritePem(_folder.Path, $"{stranger}-trusts.pem", [.. authorities]),
                };

            // Refused, it would retry for minutes: a cluster client connects in seconds (the test above), so 30 s is ample.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var refusal = await Record.ExceptionAsync(() => ClusterObserver.ThroughGatewayAsync(_silo.GatewayPort!.Value, tls, patience.Token));
            Assert.True(refusal is OrleansException or OperationCanceledException, $"the client connected or failed otherwise: {refusal}");
        }
    }

    [Fact]
    public async Task A_silo_in_cluster_mode_without_certificates_refuses_to_start_and_says_why()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        var errors = new List<string>();
        var noCertificate = new Dictionary<string, string> { ["Orleans:Tls:Certificate"] = "", ["Orleans:Tls:CertificateAuthority"] = "" };

        await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.SiloAsync(database, noCertificate, line => { lock (errors) errors.Add(line); }));
        lock (errors)
        {
            Assert.Contains(errors, line => line.Contains("Orleans:Tls:Certificate", StringComparison.Ordinal) && line.Contains("Orleans:Tls:Enabled=false", StringComparison.Ordinal));
        }

        await using var open = await TestHost.SiloAsync(database, new Dictionary<string, string> { ["Orleans:Tls:Enabled"] = "false" });
    }

    public static TheoryData<Stranger> Strangers => [Stranger.NoCertificate, Stranger.SelfSigned, Stranger.OtherAuthority];

    public enum Stranger
    {
        NoCertificate,
        SelfSigned,
        OtherAuthority,
    }

    /// <summary>The stranger's certificate (with key) and the authorities it trusts besides the cluster's CA.</summary>
    private static (X509Certificate2? Certificate, X509Certificate2[] Authorities) Make(Stranger stranger)
    {
        var cluster = X509Certificate2.CreateFromPem(File.ReadAllText(TestCertificates.Cluster.Authority));
        switch (stranger)
        {
            case Stranger.SelfSigned:
                var selfSigned = TestCertificates.Issue("self-signed stranger");
                return (selfSigned, [cluster, selfSigned]);
            case Stranger.OtherAuthority:
                var authority = TestCertificates.Authority("another CA");
                return (TestCertificates.Issue("stranger of another CA", authority), [cluster, authority]);
            default:
                return (null, [cluster]);
        }
    }

    /// <summary>
    /// Connects with TLS, presenting <paramref name="certificate"/>, and reads: on the silo port a silo that accepted the
    /// peer sends its Orleans preamble at once; on either port a silo that refused it closes the connection (after the
    /// handshake in TLS 1.3).
    /// </summary>
    private static async Task<bool> SpeaksOrleansAsync(int port, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        // This peer accepts any server: what is tested is whether the silo accepts the peer.
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "silo", ClientCertificates = certificate is null ? null : [certificate] },
                hangGuard.Token);
            return await tls.ReadAsync(new byte[64], hangGuard.Token) > 0;
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return false;
        }
    }
}
