using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Acre.Cli;
using Acre.Identity;

namespace Acre.Certificates;

/// <summary>
/// Acre's local CA: an ECDSA P-256 key and a self-signed certificate made on first start, kept in
/// <c>{data-dir}/certs</c> (the key 0600) and reused after. It signs every server certificate.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    private CertificateAuthority(X509Certificate2 certificate, string certificatePath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public static string DirectoryOf(AcreOptions options) => Path.Combine(options.FullDataDir, "certs");

    public static CertificateAuthority LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        string certificatePath = Path.Combine(directory, "ca.crt");
        string keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (loaded.NotAfter > DateTime.UtcNow.AddDays(30))
            {
                return new CertificateAuthority(loaded, certificatePath);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Acre Local CA, O=Acre", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        var subjectKeyId = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(subjectKeyId);
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.Add(Lifetime));

        SecretFile.Write(keyPath, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        File.WriteAllText(certificatePath, created.ExportCertificatePem() + "\n");
        return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath), certificatePath);
    }

    /// <summary>Prints the CA's path and PEM, making the CA first if this data directory has none.</summary>
    public static int PrintCa(AcreOptions options, TextWriter output)
    {
        using var ca = LoadOrCreate(DirectoryOf(options));
        output.WriteLine(ca.CertificatePath);
        output.Write(File.ReadAllText(ca.CertificatePath));
        return 0;
    }

    public void Dispose() => Certificate.Dispose();
}
