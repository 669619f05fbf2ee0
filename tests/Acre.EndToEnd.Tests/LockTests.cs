using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// ACR's locks against a real client: with <c>writeEnabled: false</c> on a tag or on its repository, set through
/// <c>PATCH /acr/v1/…</c>, a skopeo push over the tag fails with ACR's error and leaves the image as it was;
/// once unlocked, the same push goes through.
/// </summary>
public sealed class LockTests
{
    private const string Repository = "locks/app";

    [RequiresToolsFact("skopeo", "umoci")]
    public Task TagWriteLock_RefusesAnOverwritingPush_UntilUnlocked() =>
        OverwriteLockedAsync($"/acr/v1/{Repository}/_tags/1");

    [RequiresToolsFact("skopeo", "umoci")]
    public Task RepositoryWriteLock_RefusesAnOverwritingPush_UntilUnlocked() =>
        OverwriteLockedAsync($"/acr/v1/{Repository}");

    private static async Task OverwriteLockedAsync(string lockPath)
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        using var http = acre.Https();
        await Tool.RunAsync("skopeo", Push(acre, images, "amd64"));

        await SetWriteEnabledAsync(http, lockPath, false);
        var refused = await Tool.TryRunAsync("skopeo", Push(acre, images, "arm64"));
        string lockedDigest = await DigestAsync(acre);

        await SetWriteEnabledAsync(http, lockPath, true);
        await Tool.RunAsync("skopeo", Push(acre, images, "arm64"));
        string unlockedDigest = await DigestAsync(acre);

        Assert.True(refused.ExitCode != 0, $"the push over a locked tag succeeded:\n{refused.Output}\n{acre.Log}");
        Assert.Contains("disallowed", refused.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(images.Amd64Digest, lockedDigest);
        Assert.Equal(images.Arm64Digest, unlockedDigest);
    }

    private static string[] Push(AcreProcess acre, TestImages images, string image) =>
        ["copy", "--dest-cert-dir", acre.CertDir, "--dest-creds", $"{acre.Registry}:{AcreProcess.AdminPassword}",
            $"oci:{images.Layout}:{image}", $"docker://localhost:{acre.HttpsPort}/{Repository}:1"];

    private static async Task SetWriteEnabledAsync(HttpClient http, string path, bool enabled)
    {
        using var body = new StringContent($$"""{"writeEnabled":{{(enabled ? "true" : "false")}}}""",
            Encoding.UTF8, "application/json");
        using var response = await http.PatchAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PATCH {path}: {response.StatusCode} {text}");
        // A repository answers with its attributes at the top; a tag, inside "tag".
        var answer = JsonNode.Parse(text)!;
        var attributes = (answer["tag"] ?? answer)["changeableAttributes"]!;
        Assert.Equal(enabled, attributes["writeEnabled"]!.GetValue<bool>());
    }

    /// <summary>The digest the tag points at, as skopeo reads it back.</summary>
    private static async Task<string> DigestAsync(AcreProcess acre)
    {
        string inspected = await Tool.RunAsync("skopeo", "inspect", "--cert-dir", acre.CertDir, "--creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"docker://localhost:{acre.HttpsPort}/{Repository}:1");
        return JsonNode.Parse(inspected)!["Digest"]!.GetValue<string>();
    }
}
