using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Cli;
using Acre.Hosting;
using Acre.Storage;
using Acre.Tasks.Runs;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Tasks;

/// <summary>
/// Runs on Acre's workers: several at once, cancel of queued and running runs, run and step timeouts, and runs cut
/// off by a stop. Each test has a server of its own, whose pushes it holds with a <see cref="PushGate"/>.
/// </summary>
public sealed class RunWorkerTests
{
    private const string Api = "api-version=2019-06-01-preview";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Runs_ExecuteTwoAtOnce_AndCancelStopsQueuedAndRunningRuns()
    {
        // Arrange
        var acre = new AcreServerFixture();
        await acre.InitializeAsync();
        try
        {
            using var arm = await Arm.ClientAsync(acre);
            (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
            await Arm.CreateRegistryAsync(arm, "tasks", "runpar", sku: "Premium");
            string registry = Arm.RegistryPath("tasks", "runpar");
            (await arm.PutAsJsonAsync($"{registry}/agentPools/pool1?{Api}",
                new { location = "westus", properties = new { tier = "S1", count = 1 } })).Dispose();
            string source = Upload(acre.Server, "runpar");
            var runs = acre.Server.App.Services.GetRequiredService<RunStore>();
            using var gate = await PushGate.CloseAsync(acre.Server.App.Services.GetRequiredService<DigestLocks>());
            async Task<string> ScheduleAsync()
            {
                var run = await PostAsync(arm, $"{registry}/scheduleRun", new
                {
                    type = "DockerBuildRequest",
                    imageNames = new[] { "par:{{.Run.ID}}" },
                    isPushEnabled = true,
                    sourceLocation = source,
                    dockerFilePath = "Dockerfile",
                    platform = new { os = "linux" },
                    agentPoolName = "pool1",
                });
                return run.GetProperty("name").GetString()!;
            }

            // Act: two runs take both workers and wait at their push; the third waits for a worker.
            string first = await ScheduleAsync();
            string second = await ScheduleAsync();
            string third = await ScheduleAsync();
            await WaitForAsync(runs, "runpar", first, RunStatus.Running);
            await WaitForAsync(runs, "runpar", second, RunStatus.Running);
            int queuedWhileBusy = await QueueCountAsync(arm, registry);
            var thirdWhileBusy = await StatusAsync(runs, "runpar", third);
            await PostAsync(arm, $"{registry}/runs/{third}/cancel");
            await PostAsync(arm, $"{registry}/runs/{first}/cancel");
            string canceledLog = await WaitForLogAsync(acre.Server, "runpar", first, $"Run ID: {first} was canceled");
            var canceled = await WaitForAsync(runs, "runpar", first, RunStatus.Canceled);
            string fourth = await ScheduleAsync();
            await WaitForAsync(runs, "runpar", fourth, RunStatus.Running);
            gate.Open();
            var succeeded = await WaitForAsync(runs, "runpar", second, RunStatus.Succeeded);
            await WaitForAsync(runs, "runpar", fourth, RunStatus.Succeeded);
            var skipped = (await runs.GetAsync("runpar", third, CancellationToken.None))!["properties"]!;

            // Assert
            Assert.Equal(1, queuedWhileBusy);
            Assert.Equal(RunStatus.Queued, thirdWhileBusy);
            Assert.Equal(RunStatus.Canceled, skipped["status"]!.GetValue<string>());
            Assert.Null(skipped["startTime"]);
            Assert.NotNull(canceled["finishTime"]);
            Assert.DoesNotContain("was successful", canceledLog, StringComparison.Ordinal);
            Assert.Single(succeeded["outputImages"]!.AsArray());
            Assert.Equal(0, await QueueCountAsync(arm, registry));
        }
        finally
        {
            await acre.DisposeAsync();
        }
    }

    [Fact]
    public async Task Run_ThatOutlivesItsTimeout_EndsTimeout_WithALogLine()
    {
        // Arrange: the API takes 300 seconds at least, so the run is stored with a shorter one directly.
        using var directory = new TempDirectory();
        await using var server = await AcreServer.StartAsync(Options(directory), CancellationToken.None);
        var runs = server.App.Services.GetRequiredService<RunStore>();
        var request = BuildRequest(Upload(server, "local"));
        var properties = RunRequests.Check(request).Properties!;
        request["timeout"] = 1;
        using var gate = await PushGate.CloseAsync(server.App.Services.GetRequiredService<DigestLocks>());

        // Act
        string runId = await runs.CreateAsync("local", properties, request, CancellationToken.None);
        server.App.Services.GetRequiredService<RunQueue>().Enqueue("local", runId);
        var run = await WaitForAsync(runs, "local", runId, RunStatus.Timeout);

        // Assert
        Assert.NotNull(run["startTime"]);
        Assert.NotNull(run["finishTime"]);
        Assert.Contains("timeout of 1 seconds", run["runErrorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"Run ID: {runId} timed out after", ReadLog(server, "local", runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepTimeout_FailsTheRun_UnlessTheStepIgnoresErrors()
    {
        // Arrange
        using var directory = new TempDirectory();
        await using var server = await AcreServer.StartAsync(Options(directory), CancellationToken.None);
        var runs = server.App.Services.GetRequiredService<RunStore>();
        string yaml = """
            stepTimeout: 1
            steps:
              - build: -t app:1 .
              - push: ["app:1"]
                ignoreErrors: true
              - id: last
                push: ["app:1"]
                timeout: 2
            """;
        using var gate = await PushGate.CloseAsync(server.App.Services.GetRequiredService<DigestLocks>());

        // Act
        string runId = await ScheduleAsync(server, new JsonObject
        {
            ["type"] = RunRequests.EncodedTask,
            ["encodedTaskContent"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(yaml)),
            ["sourceLocation"] = Upload(server, "local"),
        });
        var run = await WaitForAsync(runs, "local", runId, RunStatus.Failed);
        string log = ReadLog(server, "local", runId);

        // Assert
        Assert.Contains("Step ID: acb_step_1 timed out after 1 seconds", log, StringComparison.Ordinal);
        Assert.Contains("Step ID: acb_step_1 failed and its errors are ignored", log, StringComparison.Ordinal);
        Assert.Contains("Step ID: last timed out after 2 seconds", log, StringComparison.Ordinal);
        Assert.Contains("failed to run step ID: last", run["runErrorMessage"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCutOffByAStop_RunsAgainAfterTheRestart_AndLeftoverWorkIsCleared()
    {
        // Arrange
        using var directory = new TempDirectory();
        var options = Options(directory);
        string runId;
        string leftover;
        var first = await AcreServer.StartAsync(options, CancellationToken.None);
        var gate = await PushGate.CloseAsync(first.App.Services.GetRequiredService<DigestLocks>());
        try
        {
            var firstRuns = first.App.Services.GetRequiredService<RunStore>();
            runId = await ScheduleAsync(first, BuildRequest(Upload(first, "local")));
            await WaitForAsync(firstRuns, "local", runId, RunStatus.Running);
            leftover = Path.Combine(first.StorageRoot, "tasks", "work", "local-ca99", "context");
            Directory.CreateDirectory(leftover);
        }
        finally
        {
            // Stopped while the run still waits at the gate: opened first, the run could finish before the stop.
            await first.DisposeAsync();
            gate.Dispose();
        }

        // Act
        await using var second = await AcreServer.StartAsync(options, CancellationToken.None);
        var runs = second.App.Services.GetRequiredService<RunStore>();
        await WaitForAsync(runs, "local", runId, RunStatus.Succeeded);

        // Assert
        string log = ReadLog(second, "local", runId);
        Assert.Contains($"Run ID: {runId} was stopped by Acre's shutdown", log, StringComparison.Ordinal);
        Assert.Contains($"Run ID: {runId} was successful", log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(leftover)));
    }

    [Fact]
    public async Task ScheduleRun_RefusesATimeoutOutsideTheSpecsBounds()
    {
        var acre = new AcreServerFixture();
        await acre.InitializeAsync();
        try
        {
            using var arm = await Arm.ClientAsync(acre);
            string registry = Arm.RegistryPath(DefaultRegistry.ResourceGroup, acre.Registry);
            string source = Upload(acre.Server, acre.Registry);
            object Request(object timeout) => new
            {
                type = "DockerBuildRequest",
                sourceLocation = source,
                dockerFilePath = "Dockerfile",
                platform = new { os = "linux" },
                timeout,
            };

            using var tooShort = await arm.PostAsJsonAsync($"{registry}/scheduleRun?{Api}", Request(299));
            using var tooLong = await arm.PostAsJsonAsync($"{registry}/scheduleRun?{Api}", Request(28801));
            using var notANumber = await arm.PostAsJsonAsync($"{registry}/scheduleRun?{Api}", Request("600"));
            using var shortest = await arm.PostAsJsonAsync($"{registry}/scheduleRun?{Api}", Request(300));

            await Arm.AssertErrorAsync(tooShort, 400, "InvalidRunRequest");
            await Arm.AssertErrorAsync(tooLong, 400, "InvalidRunRequest");
            await Arm.AssertErrorAsync(notANumber, 400, "InvalidRunRequest");
            Assert.True(shortest.IsSuccessStatusCode, await shortest.Content.ReadAsStringAsync());
        }
        finally
        {
            await acre.DisposeAsync();
        }
    }

    internal static AcreOptions Options(TempDirectory directory) => new()
    {
        Port = 0,
        DataDir = directory.Path,
        AdminPassword = AcreServerFixture.AdminPassword,
        LogLevel = "Warning",
    };

    /// <summary>Writes a build context where an upload of the registry lands; returns its relative path.</summary>
    internal static string Upload(RunningServer server, string registry, string? dockerfile = null)
    {
        string source = $"source/{registry}/{Guid.NewGuid():N}.tar.gz";
        string path = Path.Combine(server.StorageRoot, "tasks", source);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RunEndpointTests.Context(dockerfile ?? "FROM scratch\nCOPY hello.txt /\n"));
        return source;
    }

    internal static JsonObject BuildRequest(string source) => new()
    {
        ["type"] = RunRequests.DockerBuild,
        ["sourceLocation"] = source,
        ["dockerFilePath"] = "Dockerfile",
        ["imageNames"] = new JsonArray("gated:{{.Run.ID}}"),
        ["isPushEnabled"] = true,
    };

    /// <summary>Schedules a run of the default registry as scheduleRun does; returns its id.</summary>
    private static async Task<string> ScheduleAsync(RunningServer server, JsonObject request)
    {
        var scheduler = server.App.Services.GetRequiredService<Acre.Management.Tasks.RunScheduler>();
        var (run, error) = await scheduler.ScheduleAsync(server.DefaultRegistry, request, CancellationToken.None);
        Assert.Null(error);
        return run!["name"]!.GetValue<string>();
    }

    internal static async Task<JsonObject> WaitForAsync(RunStore runs, string registry, string runId, string status)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonObject? properties = null;
        while (DateTime.UtcNow < deadline)
        {
            properties = (await runs.GetAsync(registry, runId, CancellationToken.None))?["properties"]?.AsObject();
            if (properties?["status"]?.GetValue<string>() == status)
            {
                return properties;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run {runId} is {properties?["status"]}, not {status}");
    }

    /// <summary>The log once it has the text: a canceled run is marked at once, its log ends when it stopped.</summary>
    private static async Task<string> WaitForLogAsync(RunningServer server, string registry, string runId,
        string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        string log = "";
        while (DateTime.UtcNow < deadline)
        {
            log = File.Exists(LogPath(server, registry, runId)) ? ReadLog(server, registry, runId) : "";
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the log of run {runId} never said '{text}': {log}");
    }

    private static async Task<string?> StatusAsync(RunStore runs, string registry, string runId) =>
        (await runs.GetAsync(registry, runId, CancellationToken.None))?["properties"]?["status"]?.GetValue<string>();

    internal static string LogPath(RunningServer server, string registry, string runId) =>
        Path.Combine(server.StorageRoot, "tasks", "logs", registry, runId + ".log");

    internal static string ReadLog(RunningServer server, string registry, string runId)
    {
        using var stream = new FileStream(LogPath(server, registry, runId), FileMode.Open, FileAccess.Read,
            FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static async Task<int> QueueCountAsync(HttpClient arm, string registry) =>
        (await PostAsync(arm, $"{registry}/agentPools/pool1/listQueueStatus")).GetProperty("count").GetInt32();

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync($"{path}?{Api}", body ?? new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        string text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
