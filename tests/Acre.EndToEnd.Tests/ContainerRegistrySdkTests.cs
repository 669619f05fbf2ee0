using System.Text.Json;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>
/// ACR's data-plane SDK for JavaScript (@azure/container-registry, pinned in <c>js/package.json</c>) against the
/// real acre binary: the metadata API signed in through Acre's Entra ID, a pull with the content client, and
/// anonymous pull. skopeo pushes the content first; each script asserts and exits non-zero on the first failure.
/// </summary>
public sealed class ContainerRegistrySdkTests
{
    [RequiresToolsFact("node", "skopeo", "umoci")]
    public async Task Metadata_ListsGetsUpdatesOrdersAndDeletes()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);

        // The order of the pushes is the order of the tags' and manifests' last updates.
        await PushAsync(acre, images, "amd64", "app:v1");
        await PushAsync(acre, images, "amd64", "app:temp");
        await PushAsync(acre, images, "arm64", "app:v2");
        await PushAsync(acre, images, "multi", "multi:1", "--all");
        await PushAsync(acre, images, "amd64", "doomed:1");

        await NodeScript.RunAsync(acre, "metadata.mjs", Environment(images));
    }

    [RequiresToolsFact("node", "skopeo", "umoci")]
    public async Task ContentClient_PullsAnImageWithCheckedDigests()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);

        await PushAsync(acre, images, "amd64", "pull:1");

        await NodeScript.RunAsync(acre, "content-pull.mjs", Environment(images));
    }

    [RequiresToolsFact("node", "skopeo", "umoci")]
    public async Task NestedRepositoryName_EscapedByTheSdk_IsReadUpdatedAndPulled()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);

        await PushAsync(acre, images, "amd64", "team/app:1");

        await NodeScript.RunAsync(acre, "nested-names.mjs", Environment(images));
    }

    [RequiresToolsFact("node")]
    public async Task Anonymous_PullsWhereAllowedAndIsRefusedEverythingElse()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));

        await NodeScript.RunAsync(acre, "anonymous.mjs");
    }

    private static Task PushAsync(
        AcreProcess acre, TestImages images, string name, string target, params string[] extra) =>
        Tool.RunAsync("skopeo", ["copy", .. extra, "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:{name}",
            $"docker://localhost:{acre.HttpsPort}/{target}"]);

    private static Dictionary<string, string> Environment(TestImages images) => new()
    {
        ["ACRE_LAYOUT"] = images.Layout,
        ["ACRE_IMAGES"] = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["amd64"] = images.Amd64Digest,
            ["arm64"] = images.Arm64Digest,
            ["index"] = images.IndexDigest,
        }),
    };
}
