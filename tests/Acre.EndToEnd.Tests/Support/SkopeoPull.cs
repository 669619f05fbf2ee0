using System.Text.Json.Nodes;

namespace Acre.EndToEnd.Tests.Support;

/// <summary>
/// skopeo pulling an image (every platform of an index) from Acre's default registry into a fresh OCI layout, with
/// digests preserved: skopeo fails rather than rewrite a manifest, so the layout holds exactly what Acre served.
/// </summary>
public static class SkopeoPull
{
    private const string Tag = "pulled";

    /// <summary>Pulls <c>repository:tag</c> or <c>repository@digest</c>; fails the test when skopeo fails.</summary>
    public static async Task<PulledImage> FromAcreAsync(AcreProcess acre, string image, string layout)
    {
        await Tool.RunAsync("skopeo", Arguments(acre, image, layout));
        return Read(layout);
    }

    /// <summary>Like <see cref="FromAcreAsync"/>, for a pull that is expected to fail.</summary>
    public static Task<ToolResult> TryFromAcreAsync(AcreProcess acre, string image, string layout) =>
        Tool.TryRunAsync("skopeo", Arguments(acre, image, layout));

    private static string[] Arguments(AcreProcess acre, string image, string layout) =>
        ["copy", "--all", "--preserve-digests", "--src-cert-dir", acre.CertDir,
            "--src-creds", $"{acre.Registry}:{AcreProcess.AdminPassword}",
            $"docker://localhost:{acre.HttpsPort}/{image}", $"oci:{layout}:{Tag}"];

    private static PulledImage Read(string layout)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        string digest = index["manifests"]!.AsArray()
            .Single(m => m!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == Tag)!
            ["digest"]!.GetValue<string>();
        return new PulledImage(layout, digest);
    }
}

/// <summary>An image skopeo pulled into an OCI layout: the digest of its top manifest, and its blobs.</summary>
public sealed record PulledImage(string Layout, string Digest)
{
    public bool Has(string digest) => File.Exists(TestImages.BlobPath(Layout, digest));
}
