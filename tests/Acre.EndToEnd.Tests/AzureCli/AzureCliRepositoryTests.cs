using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr repository</c> and <c>az acr manifest</c> on what skopeo pushed to the default registry: az reads
/// ACR's metadata API (<c>/acr/v1/…</c>) with a token scoped to one repository, changes attributes and deletes,
/// and a tag locked through az refuses skopeo's push.
/// </summary>
public sealed class AzureCliRepositoryTests
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string DisallowedMessage = "The operation is disallowed on this registry, repository or image.";

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task ShowCommands_DescribeTheImagesSkopeoPushed()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);
        var started = DateTimeOffset.UtcNow;

        // Pushed in an order that is neither alphabetical nor its reverse, so each listing order shows.
        await PushAsync(cli, acre, images, "amd64", "shop/app:stable");
        await PushAsync(cli, acre, images, "arm64", "shop/app:edge");
        await PushAsync(cli, acre, images, "multi", "shop/app:multi");
        var pushed = DateTimeOffset.UtcNow;

        var repository = await AcrAsync(cli, "repository", "show", "-n", acre.Registry, "--repository", "shop/app");
        var byName = await AcrAsync(cli, "repository", "show-tags", "-n", acre.Registry, "--repository", "shop/app");
        var newestFirst = await AcrAsync(cli, "repository", "show-tags", "-n", acre.Registry,
            "--repository", "shop/app", "--orderby", "time_desc");
        var oldestFirst = await AcrAsync(cli, "repository", "show-tags", "-n", acre.Registry,
            "--repository", "shop/app", "--orderby", "time_asc");
        var detailed = await AcrAsync(cli, "repository", "show-tags", "-n", acre.Registry,
            "--repository", "shop/app", "--detail");
        var manifests = await AcrAsync(cli, "repository", "show-manifests", "-n", acre.Registry,
            "--repository", "shop/app");
        var metadata = await AcrAsync(cli, "manifest", "list-metadata", "-r", acre.Registry, "-n", "shop/app");
        var manifest = await AcrAsync(cli, "manifest", "show", "-r", acre.Registry, "-n", "shop/app:stable");

        Assert.Equal("local.azurecr.localhost", Text(repository["registry"]));
        Assert.Equal("shop/app", Text(repository["imageName"]));
        Assert.Equal(3, repository["tagCount"]!.GetValue<int>());
        Assert.Equal(3, repository["manifestCount"]!.GetValue<int>());
        Assert.InRange(Time(repository["createdTime"]), started, pushed);
        Assert.InRange(Time(repository["lastUpdateTime"]), Time(repository["createdTime"]), pushed);
        AssertAllEnabled(repository["changeableAttributes"]);

        Assert.Equal(["edge", "multi", "stable"], Texts(byName));
        Assert.Equal(["multi", "edge", "stable"], Texts(newestFirst));
        Assert.Equal(["stable", "edge", "multi"], Texts(oldestFirst));

        var tags = detailed.AsArray().ToDictionary(t => Text(t!["name"]), t => t!);
        Assert.Equal(images.Amd64Digest, Text(tags["stable"]["digest"]));
        Assert.Equal(images.Arm64Digest, Text(tags["edge"]["digest"]));
        Assert.Equal(images.IndexDigest, Text(tags["multi"]["digest"]));
        Assert.All(tags.Values, tag => Assert.InRange(Time(tag["createdTime"]), started, pushed));
        Assert.All(tags.Values, tag => AssertAllEnabled(tag["changeableAttributes"]));
        Assert.True(Time(tags["stable"]["createdTime"]) < Time(tags["edge"]["createdTime"]));
        Assert.True(Time(tags["edge"]["createdTime"]) < Time(tags["multi"]["createdTime"]));

        // show-manifests is deprecated in 2.45 but still there; it keeps only digest, tags and a timestamp.
        var tagsByDigest = manifests.AsArray().ToDictionary(m => Text(m!["digest"]), m => Texts(m!["tags"]));
        Assert.Equal(3, tagsByDigest.Count);
        Assert.Equal(["stable"], tagsByDigest[images.Amd64Digest]);
        Assert.Equal(["edge"], tagsByDigest[images.Arm64Digest]);
        Assert.Equal(["multi"], tagsByDigest[images.IndexDigest]);
        Assert.All(manifests.AsArray(), m => Assert.InRange(Time(m!["timestamp"]), started, pushed));

        var byDigest = metadata.AsArray().ToDictionary(m => Text(m!["digest"]), m => m!);
        Assert.Equal(3, byDigest.Count);
        AssertImage(byDigest[images.Amd64Digest], images, images.Amd64Digest, "amd64", "stable");
        AssertImage(byDigest[images.Arm64Digest], images, images.Arm64Digest, "arm64", "edge");
        var index = byDigest[images.IndexDigest];
        Assert.Equal(OciIndex, Text(index["mediaType"]));
        Assert.Equal(["multi"], Texts(index["tags"]));
        Assert.Equal([images.Amd64Digest, images.Arm64Digest],
            index["references"]!.AsArray().Select(r => Text(r!["digest"])));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(images.ReadBlob(images.Amd64Digest)), manifest),
            $"az acr manifest show printed {manifest.ToJsonString()}");
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task UpdateWriteEnabledFalse_KeepsTheTagFromSkopeoUntilEnabledAgain()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);
        await PushAsync(cli, acre, images, "amd64", "locked/app:v1");

        var locked = await AcrAsync(cli, "repository", "update", "-n", acre.Registry, "--image", "locked/app:v1",
            "--write-enabled", "false");

        var refusedPush = await TryPushAsync(cli, acre, images, "arm64", "locked/app:v1");

        var refusedUntag = await cli.TryRunAsync("acr", "repository", "untag", "-n", acre.Registry,
            "--image", "locked/app:v1", "--only-show-errors");

        var kept = await AcrAsync(cli, "repository", "show", "-n", acre.Registry, "--image", "locked/app:v1");

        var unlocked = await AcrAsync(cli, "repository", "update", "-n", acre.Registry, "--image", "locked/app:v1",
            "--write-enabled", "true");
        await PushAsync(cli, acre, images, "arm64", "locked/app:v1");
        var replaced = await AcrAsync(cli, "repository", "show", "-n", acre.Registry, "--image", "locked/app:v1");

        Assert.Equal("v1", Text(locked["name"]));
        Assert.False(locked["changeableAttributes"]!["writeEnabled"]!.GetValue<bool>());
        Assert.True(locked["changeableAttributes"]!["deleteEnabled"]!.GetValue<bool>());

        // Skopeo knows no ACR codes and prints the message as "unknown"; Acre's log names the code it answered.
        Assert.NotEqual(0, refusedPush.ExitCode);
        Assert.Contains($"unknown: {DisallowedMessage}", refusedPush.Output, StringComparison.Ordinal);
        AssertRefused(acre, "PUT /v2/locked/app/manifests/v1");

        // A tag that cannot be written cannot be deleted either.
        Assert.NotEqual(0, refusedUntag.ExitCode);
        Assert.Contains($"Error: {DisallowedMessage}", refusedUntag.Output, StringComparison.Ordinal);
        AssertRefused(acre, "DELETE /acr/v1/locked/app/_tags/v1");

        Assert.Equal(images.Amd64Digest, Text(kept["digest"]));
        Assert.False(kept["changeableAttributes"]!["writeEnabled"]!.GetValue<bool>());

        Assert.True(unlocked["changeableAttributes"]!["writeEnabled"]!.GetValue<bool>());
        Assert.Equal(images.Arm64Digest, Text(replaced["digest"]));
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task UntagAndDelete_RemoveATagAnImageAndTheRepository()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);
        await PushAsync(cli, acre, images, "amd64", "gone/app:stable");
        await PushAsync(cli, acre, images, "amd64", "gone/app:edge");
        await PushAsync(cli, acre, images, "arm64", "gone/app:old");
        await PushAsync(cli, acre, images, "amd64", "kept/app:v1");

        // untag and delete --image print nothing when they succeed.
        string untagged = await cli.RunAsync("acr", "repository", "untag", "-n", acre.Registry,
            "--image", "gone/app:edge", "--only-show-errors");
        string deletedImage = await cli.RunAsync("acr", "repository", "delete", "-n", acre.Registry,
            "--image", "gone/app:old", "--yes", "--only-show-errors");
        var left = await AcrAsync(cli, "manifest", "list-metadata", "-r", acre.Registry, "-n", "gone/app");

        var deletedRepository = await AcrAsync(cli, "repository", "delete", "-n", acre.Registry,
            "--repository", "gone/app", "--yes");
        var repositories = await AcrAsync(cli, "repository", "list", "-n", acre.Registry);

        Assert.Equal("", untagged.Trim());
        Assert.Equal("", deletedImage.Trim());
        Assert.Contains($"DELETE /v2/gone/app/manifests/{images.Arm64Digest} 202", acre.Log,
            StringComparison.Ordinal);

        // The untagged manifest stays under its other tag; the deleted image is gone with its tag.
        var manifest = Assert.Single(left.AsArray())!;
        Assert.Equal(images.Amd64Digest, Text(manifest["digest"]));
        Assert.Equal(["stable"], Texts(manifest["tags"]));

        Assert.Equal([images.Amd64Digest], Texts(deletedRepository["manifestsDeleted"]));
        Assert.Equal(["stable"], Texts(deletedRepository["tagsDeleted"]));
        Assert.Equal(["kept/app"], Texts(repositories));
    }

    /// <summary>Runs <c>az acr …</c> for JSON.</summary>
    private static Task<JsonNode> AcrAsync(AzureCli cli, params string[] arguments) =>
        cli.JsonAsync(["acr", .. arguments]);

    /// <summary>Pushes an image of the test layout to the default registry, through its mapped login server.</summary>
    private static async Task PushAsync(AzureCli cli, AcreProcess acre, TestImages images, string image,
        string target)
    {
        var result = await TryPushAsync(cli, acre, images, image, target);
        Assert.True(result.ExitCode == 0, $"skopeo push of {image} to {target} failed:\n{result.Output}");
    }

    private static Task<ToolResult> TryPushAsync(AzureCli cli, AcreProcess acre, TestImages images, string image,
        string target) =>
        cli.TryRunToolAsync("skopeo", "copy", "--multi-arch", "all", "--dest-cert-dir", acre.CertDir,
            "--dest-creds", $"{acre.Registry}:{AcreProcess.AdminPassword}",
            $"oci:{images.Layout}:{image}", $"docker://{acre.LoginServer(acre.Registry)}/{target}");

    /// <summary>A single-platform image as <c>az acr manifest list-metadata</c> shows it.</summary>
    private static void AssertImage(JsonNode manifest, TestImages images, string digest, string architecture,
        string tag)
    {
        var content = JsonNode.Parse(images.ReadBlob(digest))!;
        long referenced = content["config"]!["size"]!.GetValue<long>() +
            content["layers"]!.AsArray().Sum(l => l!["size"]!.GetValue<long>());

        Assert.Equal(OciManifest, Text(manifest["mediaType"]));
        Assert.Equal("application/vnd.oci.image.config.v1+json", Text(manifest["configMediaType"]));
        Assert.Equal(architecture, Text(manifest["architecture"]));
        Assert.Equal("linux", Text(manifest["os"]));
        Assert.Equal([tag], Texts(manifest["tags"]));

        // The config and layers at least; the manifest's own bytes may count too.
        long manifestLength = images.ReadBlob(digest).Length;
        Assert.InRange(manifest["imageSize"]!.GetValue<long>(), referenced, referenced + manifestLength);
        AssertAllEnabled(manifest["changeableAttributes"]);
    }

    /// <summary>Acre logged the request (method and path) as refused with 405 and ACR's own error code.</summary>
    private static void AssertRefused(AcreProcess acre, string request) =>
        Assert.Matches(
            $"{Regex.Escape(request)} 405 in [0-9.]+ ms, registry local, error REGISTRY_DISALLOWED_OPERATION",
            acre.Log);

    private static void AssertAllEnabled(JsonNode? attributes)
    {
        foreach (string name in new[] { "deleteEnabled", "writeEnabled", "readEnabled", "listEnabled" })
        {
            Assert.True(attributes?[name]?.GetValue<bool>(), $"{name} in {attributes?.ToJsonString()}");
        }
    }

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private static string[] Texts(JsonNode? node) => [.. node!.AsArray().Select(Text)];

    private static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
