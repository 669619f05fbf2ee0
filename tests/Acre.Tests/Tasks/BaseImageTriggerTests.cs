using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Content;
using Acre.Management.Tasks;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Tasks;

/// <summary>
/// A task built from an artifact context learns its base images by running, and a push that moves its run-time
/// base image queues a run marked with the image update; build-time bases and unchanged digests do not.
/// </summary>
public sealed class BaseImageTriggerTests : IClassFixture<AcreServerFixture>
{
    private const string Api = "api-version=2019-06-01-preview";
    private readonly AcreServerFixture _acre;

    public BaseImageTriggerTests(AcreServerFixture acre) => _acre = acre;

    private string Registry => Arm.RegistryPath("acre", _acre.Registry);

    private string LoginServer => $"{_acre.Registry}.azurecr.localhost:{_acre.Server.HttpsPort}";

    [Fact]
    public async Task PushOfTheRuntimeBase_RunsTheTaskAgain_AndTheTaskKeepsTheNewDigest()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        var pusher = new OciPusher(_acre.Admin());
        await BuildImageAsync(arm, pusher, "base:1", "FROM scratch\nCOPY hello.txt /base.txt\n", "base one");
        await BuildImageAsync(arm, pusher, "tools:1", "FROM scratch\nCOPY hello.txt /tool.txt\n", "tool one");
        await PushContextAsync(pusher, "appctx:1", """
            FROM tools:1 AS tools
            FROM base:1
            COPY --from=tools /tool.txt /
            COPY hello.txt /app.txt
            """, "app");
        using var created = await arm.PutAsJsonAsync($"{Registry}/tasks/apptask?{Api}", new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new
                {
                    type = "Docker",
                    contextPath = $"oci://{LoginServer}/appctx:1",
                    dockerFilePath = "Dockerfile",
                    imageNames = new[] { "app:{{.Run.ID}}" },
                    isPushEnabled = true,
                    baseImageDependencies = new[] { new { type = "RunTime", repository = "forged", tag = "1" } },
                },
                trigger = new
                {
                    baseImageTrigger = new { name = "base", baseImageTriggerType = "Runtime", status = "Enabled" },
                },
            },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var firstRun = await PostAsync(arm, $"{Registry}/scheduleRun", new
        {
            type = "TaskRunRequest",
            taskId = $"{Registry}/tasks/apptask",
        });
        var first = await WaitAsync(arm, firstRun.GetProperty("name").GetString()!);
        var learned = await TaskDependenciesAsync(arm);
        int runsBefore = (await RunsAsync(arm)).Count;

        // Act
        await BuildImageAsync(arm, pusher, "tools:1", "FROM scratch\nCOPY hello.txt /tool.txt\n", "tool two");
        var baseTwo = await BuildImageAsync(arm, pusher, "base:1", "FROM scratch\nCOPY hello.txt /base.txt\n",
            "base two");
        var triggered = await WaitForTriggeredRunAsync(arm);
        var second = await WaitAsync(arm, triggered.GetProperty("name").GetString()!);
        var relearned = await TaskDependenciesAsync(arm);
        var runsAfter = await RunsAsync(arm);

        // Assert
        Assert.Equal("Succeeded", first.GetProperty("status").GetString());
        Assert.Equal("Succeeded", second.GetProperty("status").GetString());
        Assert.DoesNotContain(learned, d => d.GetProperty("repository").GetString() == "forged");
        var runtime = learned.Single(d => d.GetProperty("type").GetString() == "RunTime");
        Assert.Equal("base", runtime.GetProperty("repository").GetString());
        Assert.Equal("1", runtime.GetProperty("tag").GetString());
        Assert.Equal(LoginServer, runtime.GetProperty("registry").GetString());
        Assert.Equal("tools", learned.Single(d => d.GetProperty("type").GetString() == "BuildTime")
            .GetProperty("repository").GetString());
        var update = triggered.GetProperty("properties").GetProperty("imageUpdateTrigger").GetProperty("images")[0];
        Assert.Equal(baseTwo, update.GetProperty("digest").GetString());
        Assert.Equal("apptask", triggered.GetProperty("properties").GetProperty("task").GetString());
        Assert.Equal(baseTwo, relearned.Single(d => d.GetProperty("type").GetString() == "RunTime")
            .GetProperty("digest").GetString());
        Assert.Equal(runsBefore + 3, runsAfter.Count);
    }

    [Fact]
    public async Task PushOfTheSameDigest_OrByTheTasksOwnRun_TriggersNothing()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        var pusher = new OciPusher(_acre.Admin());
        string digest = await BuildImageAsync(arm, pusher, "selfbase:1", "FROM scratch\nCOPY hello.txt /\n", "x");
        using var created = await arm.PutAsJsonAsync($"{Registry}/tasks/selftask?{Api}", new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new { type = "EncodedTask", encodedTaskContent = Convert.ToBase64String("steps: []"u8) },
                trigger = new
                {
                    baseImageTrigger = new { name = "base", baseImageTriggerType = "All", status = "Enabled" },
                },
            },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var recorder = _acre.Server.App.Services.GetRequiredService<TaskDependencyRecorder>();
        await recorder.SucceededAsync(_acre.Registry, "selftask",
            [new(Acre.Tasks.Building.BaseImageDependency.RunTime, "selfbase", "1", digest)], CancellationToken.None);
        var triggers = _acre.Server.App.Services.GetRequiredService<BaseImageTriggers>();
        var now = DateTimeOffset.UtcNow;
        string moved = Digest.Compute("other"u8).ToString();

        // Act
        int sameDigest = await triggers.FireAsync(new RegistryEvent(RegistryEvent.Push, _acre.Registry, "selfbase",
            "1", digest, MediaTypes.OciManifest, 1, "local", now), CancellationToken.None);
        int otherTag = await triggers.FireAsync(new RegistryEvent(RegistryEvent.Push, _acre.Registry, "selfbase",
            "2", moved, MediaTypes.OciManifest, 1, "local", now), CancellationToken.None);
        int moveTag = await triggers.FireAsync(new RegistryEvent(RegistryEvent.Push, _acre.Registry, "selfbase",
            "1", moved, MediaTypes.OciManifest, 1, "local", now), CancellationToken.None);
        string ownRun = (await RunsAsync(arm)).Single(r =>
            r.GetProperty("properties").TryGetProperty("task", out var task) && task.GetString() == "selftask")
            .GetProperty("name").GetString()!;
        await WaitAsync(arm, ownRun);
        int byOwnRun = await triggers.FireAsync(new RegistryEvent(RegistryEvent.Push, _acre.Registry, "selfbase",
            "1", Digest.Compute("third"u8).ToString(), MediaTypes.OciManifest, 1, $"run/{ownRun}", now),
            CancellationToken.None);

        // Assert
        Assert.Equal(0, sameDigest);
        Assert.Equal(0, otherTag);
        Assert.Equal(1, moveTag);
        Assert.Equal(0, byOwnRun);
    }

    [Fact]
    public async Task ArtifactContext_NamingABlobOfAnotherRepository_FailsTheRun()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        var pusher = new OciPusher(_acre.Admin());
        byte[] secret = "another repository's secret"u8.ToArray();
        var secretDigest = await pusher.PushBlobAsync("private/data", secret);
        var dockerfile = Encoding.UTF8.GetBytes("FROM scratch\nCOPY leak.txt /\n");
        var dockerfileDigest = await pusher.PushBlobAsync("leakctx", dockerfile);
        var config = await pusher.PushBlobAsync("leakctx", "{}"u8.ToArray());
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.empty.v1+json",
                ["digest"] = config.ToString(),
                ["size"] = 2,
            },
            ["layers"] = new JsonArray(
                Layer(dockerfileDigest, dockerfile.Length, "Dockerfile", urls: false),
                Layer(secretDigest, secret.Length, "leak.txt", urls: true)),
        };
        using var pushed = await pusher.PutManifestAsync("leakctx", "1",
            Encoding.UTF8.GetBytes(manifest.ToJsonString()), MediaTypes.OciManifest);

        // Act
        var run = await PostAsync(arm, $"{Registry}/scheduleRun", new
        {
            type = "DockerBuildRequest",
            imageNames = new[] { "leaked:1" },
            isPushEnabled = true,
            sourceLocation = $"oci://{LoginServer}/leakctx:1",
            dockerFilePath = "Dockerfile",
            platform = new { os = "linux" },
        });
        var finished = await WaitAsync(arm, run.GetProperty("name").GetString()!);

        // Assert
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal("Failed", finished.GetProperty("status").GetString());
        Assert.Contains("is not in repository 'leakctx'", finished.GetProperty("runErrorMessage").GetString(),
            StringComparison.Ordinal);
    }

    private static JsonObject Layer(Digest digest, int size, string title, bool urls)
    {
        var layer = new JsonObject
        {
            ["mediaType"] = "application/vnd.oci.image.layer.v1.tar",
            ["digest"] = digest.ToString(),
            ["size"] = size,
            ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = title },
        };
        if (urls)
        {
            layer["urls"] = new JsonArray("https://example.invalid/layer");
        }

        return layer;
    }

    [Fact]
    public async Task RunPushingAWriteLockedTag_Fails_AndTheTagKeepsItsImage()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        var pusher = new OciPusher(_acre.Admin());
        var (kept, _) = await pusher.PushImageAsync("lockedbuild", "1", "the locked image");
        using var locked = await pusher.Client.PatchAsJsonAsync("/acr/v1/lockedbuild/_tags/1",
            new { writeEnabled = false });
        await PushContextAsync(pusher, "lockedctx:1", "FROM scratch\nCOPY hello.txt /\n", "new");

        // Act
        var run = await PostAsync(arm, $"{Registry}/scheduleRun", new
        {
            type = "DockerBuildRequest",
            imageNames = new[] { "lockedbuild:1" },
            isPushEnabled = true,
            sourceLocation = $"oci://{LoginServer}/lockedctx:1",
            dockerFilePath = "Dockerfile",
            platform = new { os = "linux" },
        });
        var finished = await WaitAsync(arm, run.GetProperty("name").GetString()!);
        using var head = await pusher.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Head, "/v2/lockedbuild/manifests/1"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal("Failed", finished.GetProperty("status").GetString());
        Assert.Contains("is locked", finished.GetProperty("runErrorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(kept.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
    }

    /// <summary>Builds an image with a Docker build run from an artifact context; returns its digest.</summary>
    private async Task<string> BuildImageAsync(HttpClient arm, OciPusher pusher, string image, string dockerfile,
        string text)
    {
        string context = $"ctx-{Guid.NewGuid():N}"[..12] + ":1";
        await PushContextAsync(pusher, context, dockerfile, text);
        var run = await PostAsync(arm, $"{Registry}/scheduleRun", new
        {
            type = "DockerBuildRequest",
            imageNames = new[] { image },
            isPushEnabled = true,
            sourceLocation = $"oci://{LoginServer}/{context}",
            dockerFilePath = "Dockerfile",
            platform = new { os = "linux" },
        });
        var finished = await WaitAsync(arm, run.GetProperty("name").GetString()!);
        Assert.True(finished.GetProperty("status").GetString() == "Succeeded", finished.ToString());
        return finished.GetProperty("outputImages")[0].GetProperty("digest").GetString()!;
    }

    /// <summary>Pushes a Dockerfile and hello.txt as ORAS pushes files: titled layers of an artifact.</summary>
    private static async Task PushContextAsync(OciPusher pusher, string reference, string dockerfile, string text)
    {
        string repository = reference.Split(':')[0];
        var layers = new List<string>();
        foreach (var (name, content) in new[] { ("Dockerfile", dockerfile), ("hello.txt", text) })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(content);
            var digest = await pusher.PushBlobAsync(repository, bytes);
            layers.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.layer.v1.tar",
                ["digest"] = digest.ToString(),
                ["size"] = bytes.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = name },
            }.ToJsonString());
        }

        byte[] empty = "{}"u8.ToArray();
        var config = await pusher.PushBlobAsync(repository, empty);
        string manifest = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","artifactType":"application/vnd.acre.context",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{config}}","size":2},
             "layers":[
            """ + string.Join(",", layers) + "]}";
        using var response = await pusher.PutManifestAsync(repository, reference.Split(':')[1],
            Encoding.UTF8.GetBytes(manifest), MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<List<JsonElement>> TaskDependenciesAsync(HttpClient arm)
    {
        var task = await arm.GetFromJsonAsync<JsonElement>($"{Registry}/tasks/apptask?{Api}");
        return [.. task.GetProperty("properties").GetProperty("step").GetProperty("baseImageDependencies")
            .EnumerateArray()];
    }

    private async Task<List<JsonElement>> RunsAsync(HttpClient arm) =>
        [.. (await arm.GetFromJsonAsync<JsonElement>($"{Registry}/runs?{Api}")).GetProperty("value").EnumerateArray()];

    private async Task<JsonElement> WaitForTriggeredRunAsync(HttpClient arm)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var run = (await RunsAsync(arm)).FirstOrDefault(r =>
                r.GetProperty("properties").TryGetProperty("imageUpdateTrigger", out _));
            if (run.ValueKind == JsonValueKind.Object)
            {
                return run;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no run was triggered by the base image update");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync($"{path}?{Api}", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The run's properties once it has ended, whatever its status.</summary>
    private async Task<JsonElement> WaitAsync(HttpClient client, string runId)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            var properties = (await client.GetFromJsonAsync<JsonElement>($"{Registry}/runs/{runId}?{Api}"))
                .GetProperty("properties");
            if (properties.GetProperty("status").GetString() is not ("Queued" or "Running"))
            {
                return properties;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"run {runId} did not finish");
    }
}
