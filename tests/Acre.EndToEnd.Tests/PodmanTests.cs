using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests;

/// <summary>Podman logs in through the token flow, pushes and pulls an image, over TLS verified with Acre's
/// CA.</summary>
public sealed class PodmanTests
{
    [RequiresToolsFact("podman", "umoci", RequiresToolsFactAttribute.Root)]
    public async Task LoginPushPull_RoundTripsAnImage()
    {
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        var environment = PodmanEnvironment(work);
        string registry = $"localhost:{acre.HttpsPort}";
        string image = $"{registry}/podman/busybox:1";

        var wrong = await Tool.TryRunWithAsync(environment, "podman", [.. Global, "login", "--cert-dir", acre.CertDir,
            "-u", acre.Registry, "-p", "wrong-password", registry]);
        await Podman(environment, "login", "--cert-dir", acre.CertDir, "-u", acre.Registry, "-p",
            AcreProcess.AdminPassword, registry);
        await Podman(environment, "pull", $"oci:{images.Layout}:amd64");
        string local = (await Podman(environment, "images", "--format", "{{.ID}}")).Trim().Split('\n')[0];
        await Podman(environment, "tag", local, image);
        await Podman(environment, "push", "--cert-dir", acre.CertDir, image);
        await Podman(environment, "rmi", "--all", "--force");
        await Podman(environment, "pull", "--cert-dir", acre.CertDir, image);
        string pulled = await Podman(environment, "image", "inspect", "--format", "{{.ID}}", image);

        Assert.NotEqual(0, wrong.ExitCode);
        Assert.StartsWith(local, pulled.Trim(), StringComparison.Ordinal);
        Assert.Contains("/v2/podman/busybox/manifests/1", acre.Log, StringComparison.Ordinal);
    }

    private static readonly string[] Global = ["--events-backend=file", "--cgroup-manager=cgroupfs"];

    private static Task<string> Podman(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Tool.RunWithAsync(environment, "podman", [.. Global, .. arguments]);

    /// <summary>Storage (vfs) and credentials in the test's own folder, nothing in the machine's.</summary>
    private static Dictionary<string, string> PodmanEnvironment(TempDirectory work)
    {
        string storage = work.Sub("podman");
        string conf = Path.Combine(storage, "storage.conf");
        File.WriteAllText(conf, $"""
            [storage]
            driver = "vfs"
            runroot = "{storage}/run"
            graphroot = "{storage}/graph"
            """);
        return new Dictionary<string, string>
        {
            ["CONTAINERS_STORAGE_CONF"] = conf,
            ["REGISTRY_AUTH_FILE"] = Path.Combine(storage, "auth.json"),
            ["XDG_RUNTIME_DIR"] = storage,
            ["TMPDIR"] = storage,
        };
    }
}
