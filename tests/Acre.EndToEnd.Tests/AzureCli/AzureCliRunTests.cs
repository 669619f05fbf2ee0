using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary>
/// <c>az acr run</c> with a multi-step task file, and <c>az acr task</c>: create, run, list-runs, show-run, logs
/// and cancel-run, against an image of the registry that has busybox in it.
/// </summary>
public sealed class AzureCliRunTests
{
    [RequiresToolsFact("az", "skopeo", "umoci", "buildah", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task Run_BuildsPushesAndRunsTheStepsOfATaskFile()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        await PushBusyboxAsync(acre, work);
        string context = work.Sub("context");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM base/busybox:1
            COPY greeting.txt /
            CMD ["/bin/busybox", "cat", "/greeting.txt"]
            """);
        await File.WriteAllTextAsync(Path.Combine(context, "greeting.txt"), "hello from a cmd step\n");
        await File.WriteAllTextAsync(Path.Combine(context, "acb.yaml"), """
            version: v1.1.0
            steps:
              - id: build
                build: -t $Registry/multi:$ID -t $Registry/multi:{{.Values.channel}} -f Dockerfile .
              - id: push
                push: ["$Registry/multi:$ID", "{{.Run.Registry}}/multi:{{.Values.channel}}"]
              - id: show
                cmd: $Registry/multi:$ID
            """);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);

        // Act
        var failed = await cli.TryRunAsync("acr", "run", "-r", acre.Registry, "-f", "acb.yaml", context);
        string log = await cli.RunAsync("acr", "run", "-r", acre.Registry, "-f", "acb.yaml", "--set",
            "channel=stable", context);
        var tags = await cli.JsonAsync("acr", "repository", "show-tags", "-n", acre.Registry, "--repository",
            "multi");

        // Assert
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("{{.Values.channel}}", failed.Output, StringComparison.Ordinal);
        Assert.Contains("hello from a cmd step", log, StringComparison.Ordinal);
        Assert.Contains("Run ID: ca2 was successful", log, StringComparison.Ordinal);
        Assert.Equal(["ca2", "stable"], tags.AsArray().Select(t => t!.GetValue<string>()).Order());
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "buildah", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task Task_CreateRunListShowLogsAndCancel()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        await PushBusyboxAsync(acre, work);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);

        // Act
        var created = await cli.JsonAsync("acr", "task", "create", "-r", acre.Registry, "-n", "hellotask",
            "--cmd", "$Registry/base/busybox:1 /bin/busybox echo task ran", "-c", "/dev/null");
        string ran = await cli.RunAsync("acr", "task", "run", "-r", acre.Registry, "-n", "hellotask");
        var runs = await cli.JsonAsync("acr", "task", "list-runs", "-r", acre.Registry, "-n", "hellotask");
        var shown = await cli.JsonAsync("acr", "task", "show-run", "-r", acre.Registry, "--run-id", "ca1");
        string logs = await cli.RunAsync("acr", "task", "logs", "-r", acre.Registry, "--run-id", "ca1");
        await cli.RunAsync("acr", "task", "cancel-run", "-r", acre.Registry, "--run-id", "ca1");
        var tasks = await cli.JsonAsync("acr", "task", "list", "-r", acre.Registry);

        // Assert
        Assert.Equal("EncodedTask", created["step"]!["type"]!.GetValue<string>());
        Assert.Contains("task ran", ran, StringComparison.Ordinal);
        Assert.Equal("ca1", runs.AsArray().Single()!["runId"]!.GetValue<string>());
        Assert.Equal("hellotask", shown["task"]!.GetValue<string>());
        Assert.Equal("Succeeded", shown["status"]!.GetValue<string>());
        Assert.Contains("task ran", logs, StringComparison.Ordinal);
        Assert.Equal("hellotask", tasks.AsArray().Single()!["name"]!.GetValue<string>());
    }

    [RequiresToolsFact("az")]
    public async Task Task_TimersCredentialsAndStatus_ChangeInPlace()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        await cli.RunAsync("acr", "task", "create", "-r", acre.Registry, "-n", "timedtask", "--cmd",
            "$Registry/base/busybox:1", "-c", "/dev/null", "--schedule", "0 3 * * *", "-o", "none");

        // Act
        await cli.RunAsync("acr", "task", "timer", "add", "-r", acre.Registry, "-n", "timedtask", "--timer-name",
            "hourly", "--schedule", "0 * * * *", "-o", "none");
        await cli.RunAsync("acr", "task", "timer", "update", "-r", acre.Registry, "-n", "timedtask", "--timer-name",
            "hourly", "--enabled", "false", "-o", "none");
        var timers = await cli.JsonAsync("acr", "task", "timer", "list", "-r", acre.Registry, "-n", "timedtask");
        await cli.RunAsync("acr", "task", "credential", "add", "-r", acre.Registry, "-n", "timedtask",
            "--login-server", "other.azurecr.localhost", "-u", "someone", "-p", "a-password", "-o", "none");
        await cli.RunAsync("acr", "task", "credential", "update", "-r", acre.Registry, "-n", "timedtask",
            "--login-server", "other.azurecr.localhost", "-u", "someone-else", "-p", "another", "-o", "none");
        var credentials = await cli.JsonAsync("acr", "task", "credential", "list", "-r", acre.Registry, "-n",
            "timedtask");
        await cli.RunAsync("acr", "task", "credential", "remove", "-r", acre.Registry, "-n", "timedtask",
            "--login-server", "other.azurecr.localhost", "-o", "none");
        var disabled = await cli.JsonAsync("acr", "task", "update", "-r", acre.Registry, "-n", "timedtask",
            "--status", "Disabled");
        var left = await cli.JsonAsync("acr", "task", "credential", "list", "-r", acre.Registry, "-n", "timedtask");

        // Assert
        Assert.Equal(2, timers.AsArray().Count);
        var hourly = timers.AsArray().Single(t => t!["name"]!.GetValue<string>() == "hourly")!;
        Assert.Equal("Disabled", hourly["status"]!.GetValue<string>());
        Assert.Equal("0 * * * *", hourly["schedule"]!.GetValue<string>());
        var other = credentials["other.azurecr.localhost"]!;
        Assert.Equal("someone-else", other["userName"]!["value"]!.GetValue<string>());
        Assert.Equal("Disabled", disabled["status"]!.GetValue<string>());
        Assert.Equal("linux", disabled["platform"]!["os"]!.GetValue<string>(), ignoreCase: true);
        Assert.Null(left["other.azurecr.localhost"]);
    }

    [RequiresToolsFact("az", "skopeo", "umoci", "buildah", "unshare", "mount", RequiresToolsFactAttribute.Root)]
    public async Task CancelRun_StopsARunningBuild()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        await PushBusyboxAsync(acre, work);
        string context = work.Sub("context");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM base/busybox:1
            RUN ["/bin/busybox", "sleep", "127"]
            """);
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);
        cli.MapHosts(acre.Registry);
        await cli.RunAsync("acr", "build", "-r", acre.Registry, "-t", "slow:1", "--no-wait", context);
        await WaitForStatusAsync(cli, acre, "Running");
        bool sleptBefore = false;
        for (int attempt = 0; attempt < 150 && !sleptBefore; attempt++)
        {
            sleptBefore = IsRunning("/bin/busybox sleep 127");
            await Task.Delay(sleptBefore ? 0 : 200);
        }

        // Act
        await cli.RunAsync("acr", "task", "cancel-run", "-r", acre.Registry, "--run-id", "ca1");
        var run = await WaitForStatusAsync(cli, acre, "Canceled");
        string logs = await cli.RunAsync("acr", "task", "logs", "-r", acre.Registry, "--run-id", "ca1");
        bool sleeping = true;
        for (int attempt = 0; attempt < 50 && sleeping; attempt++)
        {
            sleeping = IsRunning("/bin/busybox sleep 127");
            await Task.Delay(sleeping ? 200 : 0);
        }

        // Assert
        Assert.Equal("Canceled", run["status"]!.GetValue<string>());
        Assert.Contains("Run ID: ca1 was canceled", logs, StringComparison.Ordinal);
        Assert.True(sleptBefore, "the RUN command never started");
        Assert.False(sleeping, "the RUN command outlived its canceled run");
    }

    /// <summary>Whether a process with this command line is there (and not a zombie).</summary>
    private static bool IsRunning(string commandLine) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Any(pid =>
            {
                try
                {
                    string stat = File.ReadAllText($"/proc/{pid}/stat");
                    return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim() == commandLine &&
                        stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
                }
                catch (IOException)
                {
                    return false;
                }
            });

    private static async Task<System.Text.Json.Nodes.JsonNode> WaitForStatusAsync(AzureCli cli, AcreProcess acre,
        string status)
    {
        for (int attempt = 0; attempt < 60; attempt++)
        {
            var run = await cli.JsonAsync("acr", "task", "show-run", "-r", acre.Registry, "--run-id", "ca1");
            if (run["status"]!.GetValue<string>() == status && (status != "Canceled" || run["finishTime"] is not null))
            {
                return run;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"run ca1 never became {status}");
    }

    private static async Task PushBusyboxAsync(AcreProcess acre, TempDirectory work)
    {
        var images = await TestImages.BuildAsync(work.Path);
        await Tool.RunAsync("skopeo", "copy", "--dest-cert-dir", acre.CertDir, "--dest-creds",
            $"{acre.Registry}:{AcreProcess.AdminPassword}", $"oci:{images.Layout}:amd64",
            $"docker://localhost:{acre.HttpsPort}/base/busybox:1");
    }
}
