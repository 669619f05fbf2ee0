using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// TLS as a verifying client sees it: skopeo reaches the registry by its login server name, in a private mount
/// namespace whose /etc/hosts maps that name to loopback, and trusts only Acre's CA.
/// </summary>
public sealed class TlsTests
{
    [RequiresToolsFact("skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task LoginServerName_IsVerifiedAgainstAcresCa()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        string hosts = Path.Combine(work.Path, "hosts");
        await File.WriteAllTextAsync(hosts, "127.0.0.1 localhost\n127.0.0.1 local.azurecr.localhost\n");
        string reference = $"docker://local.azurecr.localhost:{acre.HttpsPort}/tls/app:1";
        string creds = $"{acre.Registry}:{AcreProcess.AdminPassword}";

        await WithHostsAsync(hosts, 0, "skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds", creds,
            $"oci:{images.Layout}:amd64", reference);
        string inspected = await WithHostsAsync(hosts, 0, "skopeo", "inspect", "--cert-dir", acre.CertDir,
            "--creds", creds, reference);
        string refused = await WithHostsAsync(hosts, 1, "skopeo", "inspect", "--cert-dir", ForeignCa(work),
            "--creds", creds, reference);

        Assert.Contains(images.Amd64Digest, inspected, StringComparison.Ordinal);
        Assert.Contains("certificate signed by unknown authority", refused, StringComparison.Ordinal);
    }

    private static async Task<string> WithHostsAsync(string hosts, int expectedExit, params string[] command)
    {
        string script = "mount --bind \"$0\" /etc/hosts && exec \"$@\"";
        var result = await Tool.TryRunAsync("unshare", ["--mount", "--", "sh", "-c", script, hosts, .. command]);
        Assert.True(expectedExit == 0 ? result.ExitCode == 0 : result.ExitCode != 0, result.Output);
        return result.Output;
    }

    /// <summary>A folder with a CA certificate that did not sign Acre's certificates.</summary>
    private static string ForeignCa(TempDirectory work)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Someone Else", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddDays(1));
        string directory = work.Sub("foreign-ca");
        File.WriteAllText(Path.Combine(directory, "ca.crt"), certificate.ExportCertificatePem());
        return directory;
    }
}
