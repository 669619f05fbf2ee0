using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr import</c> into Acre's default registry, from a second registry of Acre's and from Debian's
/// <c>docker-registry</c> on loopback with basic auth; what was imported is pulled back with skopeo and must carry
/// the source's digests.
/// </summary>
public sealed class AzureCliImportTests
{
    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task Import_FromAnotherAcreRegistry_ByTagAndDigest_WithAndWithoutForce()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.JsonAsync("group", "create", "-n", "rg1", "-l", "westus");
        await cli.JsonAsync("acr", "create", "-n", "azsource", "-g", "rg1", "--sku", "Basic",
            "--admin-enabled", "true");
        string password = (await cli.JsonAsync("acr", "credential", "show", "-n", "azsource",
            "--query", "passwords[0].value")).GetValue<string>();
        string sourceId = (await cli.JsonAsync("acr", "show", "-n", "azsource", "--query", "id")).GetValue<string>();
        string source = acre.LoginServer("azsource");

        // skopeo reaches the second registry by its login server, which only the mapped hosts file resolves.
        cli.MapHosts("azsource");
        foreach (string name in new[] { "multi", "amd64" })
        {
            await cli.RunToolAsync("skopeo", "copy", "--all", "--preserve-digests", "--dest-cert-dir", acre.CertDir,
                "--dest-creds", $"azsource:{password}", $"oci:{images.Layout}:{name}",
                $"docker://{source}/lib/busybox:{name}");
        }

        // By login server: az finds the registry in the subscription and sends its resource id.
        await cli.RunAsync("acr", "import", "-n", acre.Registry, "--source", $"{source}/lib/busybox:multi");
        var byTag = await SkopeoPull.FromAcreAsync(acre, "lib/busybox:multi", Path.Combine(work.Path, "by-tag"));

        var again = await cli.TryRunAsync("acr", "import", "-n", acre.Registry, "--source",
            $"{source}/lib/busybox:amd64", "-t", "lib/busybox:multi");

        await cli.RunAsync("acr", "import", "-n", acre.Registry, "--source", $"{source}/lib/busybox:amd64",
            "-t", "lib/busybox:multi", "--force");
        var forced = await SkopeoPull.FromAcreAsync(acre, "lib/busybox:multi", Path.Combine(work.Path, "forced"));

        await cli.RunAsync("acr", "import", "-n", acre.Registry, "--registry", sourceId,
            "--source", $"lib/busybox@{images.IndexDigest}", "-t", "pinned/busybox:v1");
        var byDigest = await SkopeoPull.FromAcreAsync(acre, "pinned/busybox:v1", Path.Combine(work.Path, "pinned"));

        Assert.Equal(images.IndexDigest, byTag.Digest);
        Assert.True(byTag.Has(images.Amd64Digest) && byTag.Has(images.Arm64Digest), "every platform is imported");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("TagAlreadyExists", again.Output, StringComparison.Ordinal);
        Assert.Equal(images.Amd64Digest, forced.Digest);
        Assert.Equal(images.IndexDigest, byDigest.Digest);
        Assert.True(byDigest.Has(images.Arm64Digest), "every platform is imported");
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "docker-registry", "htpasswd")]
    public async Task Import_FromDistributionWithBasicAuth_ByTagAndDigest_WithAndWithoutForce()
    {
        using var work = new TempDirectory();

        // The upstream speaks plain HTTP, which Acre allows only to loopback and only with this option.
        await using var acre = new AcreProcess(work.Sub("data"), setAdminPassword: true,
            "--allow-insecure-loopback-upstreams");
        await acre.StartAsync();
        await using var upstream = await DistributionRegistry.StartAsync(work.Sub("upstream"));
        var images = await TestImages.BuildAsync(work.Path);
        foreach (string name in new[] { "multi", "amd64" })
        {
            await Tool.RunAsync("skopeo", "copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                "--dest-creds", DistributionRegistry.Credentials, $"oci:{images.Layout}:{name}",
                $"docker://{upstream.Address}/library/busybox:{name}");
        }

        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        string[] credentials = ["-u", DistributionRegistry.UserName, "-p", DistributionRegistry.Password];

        var wrongPassword = await cli.TryRunAsync("acr", "import", "-n", acre.Registry, "--source",
            $"{upstream.Address}/library/busybox:multi", "-u", DistributionRegistry.UserName, "-p", "not-it");

        await cli.RunAsync(["acr", "import", "-n", acre.Registry, "--source",
            $"{upstream.Address}/library/busybox:multi", "-t", "mirror/busybox:1", .. credentials]);
        var byTag = await SkopeoPull.FromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "by-tag"));

        var again = await cli.TryRunAsync(["acr", "import", "-n", acre.Registry, "--source",
            $"{upstream.Address}/library/busybox:amd64", "-t", "mirror/busybox:1", .. credentials]);

        await cli.RunAsync(["acr", "import", "-n", acre.Registry, "--source",
            $"{upstream.Address}/library/busybox:amd64", "-t", "mirror/busybox:1", "--force", .. credentials]);
        var forced = await SkopeoPull.FromAcreAsync(acre, "mirror/busybox:1", Path.Combine(work.Path, "forced"));

        // By digest into an untagged repository: the manifest is there only by its digest.
        await cli.RunAsync(["acr", "import", "-n", acre.Registry, "--source",
            $"{upstream.Address}/library/busybox@{images.Arm64Digest}", "--repository", "mirror/pinned",
            .. credentials]);
        var byDigest = await SkopeoPull.FromAcreAsync(acre, $"mirror/pinned@{images.Arm64Digest}",
            Path.Combine(work.Path, "by-digest"));

        Assert.NotEqual(0, wrongPassword.ExitCode);
        Assert.Contains("Unauthorized", wrongPassword.Output, StringComparison.Ordinal);
        Assert.Equal(images.IndexDigest, byTag.Digest);
        Assert.True(byTag.Has(images.Amd64Digest) && byTag.Has(images.Arm64Digest), "every platform is imported");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("TagAlreadyExists", again.Output, StringComparison.Ordinal);
        Assert.Equal(images.Amd64Digest, forced.Digest);
        Assert.Equal(images.Arm64Digest, byDigest.Digest);
        Assert.Contains($"\"GET /v2/library/busybox/manifests/{images.Arm64Digest} HTTP/1.1\" 200", upstream.Log,
            StringComparison.Ordinal);
    }
}
