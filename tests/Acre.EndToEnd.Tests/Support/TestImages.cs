using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// Real content in an OCI layout, made with umoci from a static busybox: two single-platform images, an index
/// over both (<c>multi</c>) and an SBOM-like artifact (<c>sbom</c>) whose subject is the amd64 image.
/// </summary>
public sealed class TestImages
{
    public const string ArtifactType = "application/vnd.acre.test.sbom";

    private TestImages(string layout) => Layout = layout;

    public string Layout { get; }

    public string IndexDigest { get; private set; } = "";

    public string Amd64Digest { get; private set; } = "";

    public string Arm64Digest { get; private set; } = "";

    public string ArtifactDigest { get; private set; } = "";

    public static async Task<TestImages> BuildAsync(string workDirectory)
    {
        var images = new TestImages(Path.Combine(workDirectory, "layout"));
        await Tool.RunAsync("umoci", "init", "--layout", images.Layout);
        await images.BuildImageAsync(workDirectory, "amd64", rootfs =>
        {
            Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
            File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        });
        await images.BuildImageAsync(workDirectory, "arm64", rootfs =>
            File.WriteAllText(Path.Combine(rootfs, "platform.txt"), "arm64 variant\n"));

        var index = JsonNode.Parse(await File.ReadAllTextAsync(images.IndexPath))!.AsObject();
        images.Amd64Digest = DigestOf(index, "amd64");
        images.Arm64Digest = DigestOf(index, "arm64");
        images.AddMultiPlatformIndex(index);
        images.AddArtifact(index);
        await File.WriteAllTextAsync(images.IndexPath, index.ToJsonString());
        return images;
    }

    /// <summary>Every blob and manifest digest under the layout's blobs folder.</summary>
    public IEnumerable<string> AllDigests() => Directory.GetFiles(Path.Combine(Layout, "blobs", "sha256"))
        .Select(path => "sha256:" + Path.GetFileName(path));

    public byte[] ReadBlob(string digest) => File.ReadAllBytes(BlobPath(Layout, digest));

    public static string BlobPath(string layout, string digest) =>
        Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private string IndexPath => Path.Combine(Layout, "index.json");

    private async Task BuildImageAsync(string workDirectory, string architecture, Action<string> fill)
    {
        string image = $"{Layout}:{architecture}";
        string bundle = Path.Combine(workDirectory, "bundle-" + architecture);
        await Tool.RunAsync("umoci", "new", "--image", image);
        await Tool.RunAsync("umoci", "config", "--image", image, "--architecture", architecture, "--os", "linux",
            "--config.entrypoint", "/bin/busybox");
        await Tool.RunAsync("umoci", "unpack", "--rootless", "--image", image, bundle);
        fill(Path.Combine(bundle, "rootfs"));
        await Tool.RunAsync("umoci", "repack", "--image", image, bundle);
    }

    private void AddMultiPlatformIndex(JsonObject layoutIndex)
    {
        JsonObject Child(string digest, string architecture) => new()
        {
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["digest"] = digest,
            ["size"] = new FileInfo(BlobPath(Layout, digest)).Length,
            ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
        };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(Child(Amd64Digest, "amd64"), Child(Arm64Digest, "arm64")),
        };
        IndexDigest = WriteBlob(index.ToJsonString());
        AddReference(layoutIndex, "application/vnd.oci.image.index.v1+json", IndexDigest, "multi");
    }

    private void AddArtifact(JsonObject layoutIndex)
    {
        string empty = WriteBlob("{}");
        string sbom = WriteBlob("""{"spdxVersion":"SPDX-2.3","name":"busybox"}""");
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["artifactType"] = ArtifactType,
            ["config"] = new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.empty.v1+json",
                ["digest"] = empty,
                ["size"] = 2,
            },
            ["layers"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/spdx+json",
                ["digest"] = sbom,
                ["size"] = new FileInfo(BlobPath(Layout, sbom)).Length,
            }),
            ["subject"] = new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = Amd64Digest,
                ["size"] = new FileInfo(BlobPath(Layout, Amd64Digest)).Length,
            },
        };
        ArtifactDigest = WriteBlob(manifest.ToJsonString());
        AddReference(layoutIndex, "application/vnd.oci.image.manifest.v1+json", ArtifactDigest, "sbom");
    }

    private string WriteBlob(string content)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(BlobPath(Layout, digest), bytes);
        return digest;
    }

    private void AddReference(JsonObject layoutIndex, string mediaType, string digest, string name) =>
        layoutIndex["manifests"]!.AsArray().Add(new JsonObject
        {
            ["mediaType"] = mediaType,
            ["digest"] = digest,
            ["size"] = new FileInfo(BlobPath(Layout, digest)).Length,
            ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = name },
        });

    private static string DigestOf(JsonObject layoutIndex, string name) =>
        layoutIndex["manifests"]!.AsArray()
            .First(m => m!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == name)!
            ["digest"]!.GetValue<string>();
}
