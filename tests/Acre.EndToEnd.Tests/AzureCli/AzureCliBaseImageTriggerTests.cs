using System.Text.Json.Nodes;
using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// A task made with <c>az acr task create</c> from an artifact context (pushed with skopeo) learns its base image by
/// running; rebuilding that base image with <c>az acr build</c> runs the task again, and its new image has the new
/// base's files.
/// </summary>
public sealed class AzureCliBaseImageTriggerTests
{
    [RequiresToolsFact("az", "skopeo", "umoci", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task UpdatingTheBaseImage_RebuildsTheTask()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);
        string loginServer = acre.LoginServer(acre.Registry);
        string baseContext = work.Sub("base");
        await File.WriteAllTextAsync(Path.Combine(baseContext, "Dockerfile"), "FROM scratch\nCOPY version.txt /\n");
        await File.WriteAllTextAsync(Path.Combine(baseContext, "version.txt"), "base 1\n");
        await cli.RunAsync("acr", "build", "-r", acre.Registry, "-t", "base:1", baseContext);
        string layout = ContextArtifact.Write(work.Sub("context"), "app", new Dictionary<string, string>
        {
            ["Dockerfile"] = "FROM base:1\nCOPY app.txt /\n",
            ["app.txt"] = "the app\n",
        });
        await cli.RunToolAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{layout}:app", $"docker://{loginServer}/appctx:1");
        await cli.JsonAsync("acr", "task", "create", "-r", acre.Registry, "-n", "apptask", "-c",
            $"oci://{loginServer}/appctx:1", "-f", "Dockerfile", "-t", "app:{{.Run.ID}}");
        string firstLog = await cli.RunAsync("acr", "task", "run", "-r", acre.Registry, "-n", "apptask");
        var task = await cli.JsonAsync("acr", "task", "show", "-r", acre.Registry, "-n", "apptask");

        // Act
        await File.WriteAllTextAsync(Path.Combine(baseContext, "version.txt"), "base 2\n");
        await cli.RunAsync("acr", "build", "-r", acre.Registry, "-t", "base:1", baseContext);
        var triggered = await WaitForImageUpdateRunAsync(cli, acre);
        string table = await cli.RunAsync("acr", "task", "list-runs", "-r", acre.Registry, "-n", "apptask",
            "-o", "table");
        string runId = triggered["runId"]!.GetValue<string>();
        string pulled = Path.Combine(work.Path, "pulled");
        await cli.RunToolAsync("skopeo", "copy", "--src-cert-dir", acre.CertDir, "--src-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"docker://{loginServer}/app:{runId}", $"oci:{pulled}:app");
        string bundle = Path.Combine(work.Path, "bundle");
        await Tool.RunAsync("umoci", "unpack", "--rootless", "--image", $"{pulled}:app", bundle);

        // Assert
        Assert.Contains("Run ID: ca2 was successful", firstLog, StringComparison.Ordinal);
        var dependency = task["step"]!["baseImageDependencies"]!.AsArray().Single()!;
        Assert.Equal("RunTime", dependency["type"]!.GetValue<string>());
        Assert.Equal("base", dependency["repository"]!.GetValue<string>());
        Assert.Equal("1", dependency["tag"]!.GetValue<string>());
        Assert.Equal("1", triggered["imageUpdateTrigger"]!["images"]![0]!["tag"]!.GetValue<string>());
        Assert.Contains("Image Update", table, StringComparison.Ordinal);
        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.Equal("base 2\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "version.txt")));
        Assert.Equal("the app\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "app.txt")));
    }

    private static async Task<JsonNode> WaitForImageUpdateRunAsync(AzureCli cli, AcreProcess acre)
    {
        for (int attempt = 0; attempt < 60; attempt++)
        {
            var runs = await cli.JsonAsync("acr", "task", "list-runs", "-r", acre.Registry, "-n", "apptask");
            var run = runs.AsArray().FirstOrDefault(r => r?["imageUpdateTrigger"] is not null);
            if (run?["status"]?.GetValue<string>() is "Succeeded")
            {
                return run;
            }

            Assert.False(run?["status"]?.GetValue<string>() is "Failed" or "Canceled", run?.ToJsonString());
            await Task.Delay(500);
        }

        throw new TimeoutException("the base image update never ran the task");
    }
}
