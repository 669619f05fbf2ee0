using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Acre.Identity;

namespace Acre.Certificates;

/// <summary>
/// Server certificates signed by the CA: one for localhost and the loopback addresses (for clients that send
/// no SNI), and one per other name Acre answers for, minted on first use, kept on disk and renewed before expiry.
/// </summary>
public sealed class ServerCertificates(CertificateAuthority authority, string directory, Func<string, bool> answersFor)
{
    private const string DefaultName = "localhost";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly ConcurrentDictionary<string, X509Certificate2> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _mintLock = new();

    /// <summary>The certificate for an SNI name; unknown or missing names get the localhost certificate.</summary>
    public X509Certificate2 Select(string? serverName)
    {
        string name = serverName is { Length: > 0 } s && answersFor(s) ? s.ToLowerInvariant() : DefaultName;
        if (_cache.TryGetValue(name, out var cached) && cached.NotAfter - RenewBefore > DateTime.Now)
        {
            return cached;
        }

        lock (_mintLock)
        {
            var certificate = LoadOrMint(name);
            _cache[name] = certificate;
            return certificate;
        }
    }

    private X509Certificate2 LoadOrMint(string name)
    {
        Directory.CreateDirectory(directory);
        string certificatePath = Path.Combine(directory, name + ".crt");
        string keyPath = Path.Combine(directory, name + ".key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (loaded.NotAfter - RenewBefore > DateTime.Now && IsIssuedBy(loaded, authority.Certificate))
            {
                return Exportable(loaded);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        request.CertificateExtensions.Add(SubjectAlternativeNames(name));

        var now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority.Certificate, now.AddDays(-1), now.Add(Lifetime), serial);
        using var withKey = issued.CopyWithPrivateKey(key);

        SecretFile.Write(keyPath, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        File.WriteAllText(certificatePath, withKey.ExportCertificatePem() + "\n");
        return Exportable(withKey);
    }

    private static X509Extension SubjectAlternativeNames(string name)
    {
        var names = new SubjectAlternativeNameBuilder();
        if (name == DefaultName)
        {
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
        }
        else if (IPAddress.TryParse(name, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(name);
        }

        return names.Build();
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 issuer) =>
        certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData) &&
        certificate.GetECDsaPublicKey() is not null &&
        VerifySignedBy(certificate, issuer);

    private static bool VerifySignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(issuer);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>SslStream wants a key it can use across handshakes; a PKCS#12 round trip gives one on every
    /// OS.</summary>
    private static X509Certificate2 Exportable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
