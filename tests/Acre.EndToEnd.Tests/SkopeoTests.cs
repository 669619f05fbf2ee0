using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>Real images in and out with skopeo: an index over two platforms and an artifact that refers to
/// one.</summary>
public sealed class SkopeoTests
{
    [RequiresToolsFact("skopeo", "umoci")]
    public async Task ImagesIndexAndArtifact_RoundTripByteForByte()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        string repository = $"docker://localhost:{acre.HttpsPort}/e2e/app";
        string[] tls = ["--cert-dir", acre.CertDir, "--creds", $"{acre.Registry}:{AcreProcess.AdminPassword}"];

        await Tool.RunAsync("skopeo", ["copy", "--all", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:multi", $"{repository}:multi"]);
        await Tool.RunAsync("skopeo", ["copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:sbom", $"{repository}:sbom"]);

        foreach (string digest in new[] { images.IndexDigest, images.Amd64Digest, images.Arm64Digest,
            images.ArtifactDigest })
        {
            string raw = await Tool.RunAsync("skopeo", ["inspect", "--raw", .. tls, $"{repository}@{digest}"]);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(images.ReadBlob(digest)), raw);
        }

        string pulled = Path.Combine(work.Path, "pulled");
        await Tool.RunAsync("skopeo", ["copy", "--all", "--src-cert-dir", acre.CertDir, "--src-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"{repository}:multi", $"oci:{pulled}:multi"]);
        await Tool.RunAsync("skopeo", ["copy", "--src-cert-dir", acre.CertDir, "--src-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"{repository}:sbom", $"oci:{pulled}:sbom"]);

        var expected = Referenced(images.Layout, images.IndexDigest, images.ArtifactDigest);
        var actual = Directory.GetFiles(Path.Combine(pulled, "blobs", "sha256")).ToDictionary(
            path => "sha256:" + Path.GetFileName(path), path => File.ReadAllBytes(path));
        Assert.Equal(expected.Order(), actual.Keys.Order());
        Assert.All(actual, blob => Assert.Equal(images.ReadBlob(blob.Key), blob.Value));

        using var http = acre.Http();
        using var referrers = JsonDocument.Parse(
            await http.GetStringAsync($"/v2/e2e/app/referrers/{images.Amd64Digest}"));
        var referrer = Assert.Single(referrers.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(images.ArtifactDigest, referrer.GetProperty("digest").GetString());
        Assert.Equal(TestImages.ArtifactType, referrer.GetProperty("artifactType").GetString());
    }

    [RequiresToolsFact("skopeo", "umoci")]
    public async Task ListTagsAndDelete_WorkAsSkopeoDoesThem()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        string repository = $"docker://localhost:{acre.HttpsPort}/e2e/tags";
        string[] auth = ["--cert-dir", acre.CertDir, "--creds", $"{acre.Registry}:{AcreProcess.AdminPassword}"];
        foreach (string tag in new[] { "one", "two" })
        {
            await Tool.RunAsync("skopeo", ["copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
                $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:amd64", $"{repository}:{tag}"]);
        }

        string tags = await Tool.RunAsync("skopeo", ["list-tags", .. auth, repository]);
        await Tool.RunAsync("skopeo", ["delete", .. auth, $"{repository}:one"]);
        var gone = await Tool.TryRunAsync("skopeo", ["inspect", .. auth, $"{repository}:two"]);

        Assert.Equal(["one", "two"], JsonNode.Parse(tags)!["Tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("manifest unknown", gone.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The digests that the given roots reach: themselves, their children, configs and layers.</summary>
    private static HashSet<string> Referenced(string layout, params string[] roots)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out string? digest))
        {
            if (!seen.Add(digest))
            {
                continue;
            }

            var node = JsonNode.Parse(File.ReadAllBytes(TestImages.BlobPath(layout, digest)))!;
            if (node["manifests"] is JsonArray children)
            {
                children.ForEach(c => pending.Push(c!["digest"]!.GetValue<string>()));
            }

            if (node["config"] is JsonObject config)
            {
                seen.Add(config["digest"]!.GetValue<string>());
                node["layers"]!.AsArray().ForEach(l => seen.Add(l!["digest"]!.GetValue<string>()));
            }
        }

        return seen;
    }
}

internal static class JsonArrayExtensions
{
    public static void ForEach(this JsonArray array, Action<JsonNode?> action)
    {
        foreach (var item in array)
        {
            action(item);
        }
    }
}
