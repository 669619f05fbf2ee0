using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr build</c>: the CLI packs and uploads the context to Acre's blob host, schedules a run, streams its
/// log to the end, and the image Acre's builder pushed pulls back with skopeo, its files those of the context.
/// </summary>
public sealed class AzureCliBuildTests
{
    private const string Dockerfile = """
        FROM scratch
        COPY hello.txt /
        COPY data/ /data/
        ENV GREETING=hello
        WORKDIR /data
        CMD ["/hello.txt"]
        """;

    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task Build_PushesTheContextFilesAsAnImage_FromScratch()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        string context = work.Sub("context");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), Dockerfile);
        await File.WriteAllTextAsync(Path.Combine(context, "hello.txt"), "hello from the context\n");
        Directory.CreateDirectory(Path.Combine(context, "data", "nested"));
        await File.WriteAllTextAsync(Path.Combine(context, "data", "nested", "value.json"), "{\"a\":1}\n");
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);

        // Act
        string log = await cli.RunAsync("acr", "build", "-r", acre.Registry, "-t", "hello:{{.Run.ID}}", context);
        var run = await cli.JsonAsync("acr", "task", "show-run", "-r", acre.Registry, "--run-id", "ca1");
        string layout = Path.Combine(work.Path, "layout");
        await cli.RunToolAsync("skopeo", "copy", "--src-cert-dir", acre.CertDir, "--src-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"docker://{acre.LoginServer(acre.Registry)}/hello:ca1",
            $"oci:{layout}:ca1");
        string bundle = Path.Combine(work.Path, "bundle");
        await Tool.RunAsync("umoci", "unpack", "--rootless", "--image", $"{layout}:ca1", bundle);

        // Assert
        Assert.Contains("Step 2/6 : COPY hello.txt /", log, StringComparison.Ordinal);
        Assert.Contains("Run ID: ca1 was successful", log, StringComparison.Ordinal);
        Assert.Equal("Succeeded", run["status"]!.GetValue<string>());
        var output = run["outputImages"]!.AsArray().Single()!;
        Assert.Equal("hello", output["repository"]!.GetValue<string>());
        Assert.Equal("ca1", output["tag"]!.GetValue<string>());
        Assert.StartsWith("sha256:", output["digest"]!.GetValue<string>(), StringComparison.Ordinal);
        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.Equal("hello from the context\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "hello.txt")));
        Assert.Equal("{\"a\":1}\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "data", "nested", "value.json")));
        var process = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")))!["process"]!;
        Assert.Contains("GREETING=hello", process["env"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["/hello.txt"], process["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("/data", process["cwd"]!.GetValue<string>());
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "buildah", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task Build_RunsRunThroughBuildah_OnABaseImageOfTheRegistry()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var images = await TestImages.BuildAsync(work.Path);
        await Tool.RunAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:amd64",
            $"docker://localhost:{acre.HttpsPort}/base/busybox:1");
        string context = work.Sub("context");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM base/busybox:1 AS build
            ARG WHO=nobody
            RUN ["/bin/busybox", "sh", "-c", "echo built by $WHO > /built.txt && echo RUN output"]
            FROM scratch
            COPY --from=build /built.txt /out/
            """);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);

        // Act
        string log = await cli.RunAsync("acr", "build", "-r", acre.Registry, "-t", "ran:1", "--build-arg",
            "WHO=buildah", context);
        string layout = Path.Combine(work.Path, "pulled");
        await cli.RunToolAsync("skopeo", "copy", "--src-cert-dir", acre.CertDir, "--src-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"docker://{acre.LoginServer(acre.Registry)}/ran:1",
            $"oci:{layout}:1");
        string bundle = Path.Combine(work.Path, "bundle");
        await Tool.RunAsync("umoci", "unpack", "--rootless", "--image", $"{layout}:1", bundle);

        // Assert
        Assert.Contains("RUN output", log, StringComparison.Ordinal);
        string built = await File.ReadAllTextAsync(Path.Combine(bundle, "rootfs", "out", "built.txt"));
        Assert.Equal("built by buildah\n", built);
        Assert.False(File.Exists(Path.Combine(bundle, "rootfs", "bin", "busybox")));
    }
}
