using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// A build context as an OCI artifact in an OCI layout, shaped as <c>oras push</c> shapes files (one layer per file,
/// titled with its name), for skopeo to push to a registry.
/// </summary>
public static class ContextArtifact
{
    /// <summary>Writes the layout with the artifact named <paramref name="name"/>; returns the layout.</summary>
    public static string Write(string layout, string name, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var layers = new JsonArray();
        foreach (var (file, text) in files)
        {
            var (digest, size) = WriteBlob(layout, text);
            layers.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.layer.v1.tar",
                ["digest"] = digest,
                ["size"] = size,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = file },
            });
        }

        var (config, configSize) = WriteBlob(layout, "{}");
        var (manifest, manifestSize) = WriteBlob(layout, new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["artifactType"] = "application/vnd.acre.test.context",
            ["config"] = new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.empty.v1+json",
                ["digest"] = config,
                ["size"] = configSize,
            },
            ["layers"] = layers,
        }.ToJsonString());
        File.WriteAllText(Path.Combine(layout, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = manifest,
                ["size"] = manifestSize,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = name },
            }),
        }.ToJsonString());
        return layout;
    }

    private static (string Digest, long Size) WriteBlob(string layout, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(TestImages.BlobPath(layout, digest), bytes);
        return (digest, bytes.Length);
    }
}
