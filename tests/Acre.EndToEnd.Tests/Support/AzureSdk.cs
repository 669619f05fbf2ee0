using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// The Azure SDK for .NET pointed at Acre: a custom cloud whose resource manager and authority are Acre's HTTPS
/// port, over a transport that trusts exactly Acre's CA (not the system store, not SSL_CERT_FILE) and no proxy.
/// </summary>
public sealed class AzureSdk : IDisposable
{
    private readonly HttpClientHandler _handler;

    public AzureSdk(AcreProcess acre)
    {
        Acre = acre;
        var ca = X509CertificateLoader.LoadCertificateFromFile(acre.CaPath);
        _handler = new HttpClientHandler
        {
            UseProxy = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);

                // Acre's certificates name no CRL: a revocation check could only fail.
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        Transport = new HttpClientTransport(_handler);
    }

    public AcreProcess Acre { get; }

    public HttpClientTransport Transport { get; }

    /// <summary>The audience of ARM tokens; the SDK asks for <c>{audience}/.default</c>.</summary>
    public string Audience => $"https://localhost:{Acre.HttpsPort}";

    /// <summary>Acre's service principal; no instance discovery, which would ask a public host.</summary>
    public ClientSecretCredential Credential(string secret = AcreProcess.ClientSecret) =>
        new(AcreProcess.TenantId, AcreProcess.ClientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = new Uri(Audience),
            DisableInstanceDiscovery = true,
            Transport = Transport,
        });

    public ArmClient ArmClient() => new(Credential(), AcreProcess.SubscriptionId, new ArmClientOptions
    {
        Environment = new ArmEnvironment(new Uri(Acre.ResourceManager), Audience),
        Transport = Transport,
    });

    public void Dispose()
    {
        Transport.Dispose();
        _handler.Dispose();
    }
}
