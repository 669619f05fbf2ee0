using System.Net.Http.Json;
using Acre.Tasks;
using Acre.Tasks.Runs;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Tasks;

/// <summary>
/// Collection of ACR Tasks files: uploaded contexts nothing needs once past the retention (an hour here), logs of
/// runs that are gone, leftover work directories, and everything of a deleted registry.
/// </summary>
public sealed class TaskFileCollectionTests : IClassFixture<AcreServerFixture>
{
    private const string Api = "api-version=2019-06-01-preview";
    private readonly AcreServerFixture _acre;

    public TaskFileCollectionTests(AcreServerFixture acre) => _acre = acre;

    private string TasksRoot => Path.Combine(_acre.Server.StorageRoot, "tasks");

    [Fact]
    public async Task Collect_DeletesOldUnusedUploads_AndKeepsFreshOnesAndThoseARunOrATaskNeeds()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "collectsrc");
        string registry = Arm.RegistryPath("tasks", "collectsrc");
        var runs = _acre.Server.App.Services.GetRequiredService<RunStore>();
        string unused = Upload("collectsrc", old: true);
        string fresh = Upload("collectsrc", old: false);
        string queued = Upload("collectsrc", old: true);
        string finished = Upload("collectsrc", old: true);
        string tasked = Upload("collectsrc", old: true);
        string blocks = Path.Combine(TasksRoot, "source", "collectsrc", $"{Guid.NewGuid():N}.tar.gz.blocks");
        Directory.CreateDirectory(blocks);
        File.WriteAllText(Path.Combine(blocks, "0"), "block");
        Age(Path.Combine(blocks, "0"));
        Age(blocks);
        await CreateRunAsync(runs, "collectsrc", queued);
        string done = await CreateRunAsync(runs, "collectsrc", finished);
        await runs.UpdateAsync("collectsrc", done, p => p["status"] = RunStatus.Succeeded, CancellationToken.None);
        using var task = await arm.PutAsJsonAsync($"{registry}/tasks/keepctx?{Api}", new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new { type = "Docker", dockerFilePath = "Dockerfile", contextPath = tasked },
            },
        });
        Assert.True(task.IsSuccessStatusCode, await task.Content.ReadAsStringAsync());
        var files = _acre.Server.App.Services.GetRequiredService<TaskFiles>();

        // Act
        await files.CollectAsync(CancellationToken.None);
        bool[] afterFirst = [.. new[] { unused, fresh, queued, finished, tasked }.Select(Exists)];
        (await arm.DeleteAsync($"{registry}/tasks/keepctx?{Api}")).Dispose();
        await files.CollectAsync(CancellationToken.None);

        // Assert
        Assert.Equal([false, true, true, false, true], afterFirst);
        Assert.False(Directory.Exists(blocks));
        Assert.False(Exists(tasked));
        Assert.True(Exists(queued));
    }

    [Fact]
    public async Task Collect_DeletesLogsWithoutARun_LeftoverWork_AndFilesOfRegistriesThatAreGone()
    {
        // Arrange
        var runs = _acre.Server.App.Services.GetRequiredService<RunStore>();
        string source = Upload(_acre.Registry, old: true);
        string runId = await CreateRunAsync(runs, _acre.Registry, source);
        string kept = Log(_acre.Registry, runId);
        string orphan = Log(_acre.Registry, "ca9999");
        string ghostLog = Log("ghostreg", "ca1");
        string ghostSource = Upload("ghostreg", old: false);
        string work = Path.Combine(TasksRoot, "work", $"{_acre.Registry}-ca9998");
        Directory.CreateDirectory(Path.Combine(work, "context"));
        var files = _acre.Server.App.Services.GetRequiredService<TaskFiles>();

        // Act
        await files.CollectAsync(CancellationToken.None);

        // Assert
        Assert.True(File.Exists(kept));
        Assert.False(File.Exists(orphan));
        Assert.False(Directory.Exists(Path.GetDirectoryName(ghostLog)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(Path.Combine(TasksRoot, ghostSource))));
        Assert.False(Directory.Exists(work));
        Assert.True(Exists(source));
    }

    [Fact]
    public async Task DeletingARegistry_RemovesItsLogsAndSources()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "collectgone");
        string registry = Arm.RegistryPath("tasks", "collectgone");
        string source = Upload("collectgone", old: false);
        using var scheduled = await arm.PostAsJsonAsync($"{registry}/scheduleRun?{Api}", new
        {
            type = "DockerBuildRequest",
            sourceLocation = source,
            dockerFilePath = "Dockerfile",
            platform = new { os = "linux" },
        });
        Assert.True(scheduled.IsSuccessStatusCode, await scheduled.Content.ReadAsStringAsync());
        var runs = _acre.Server.App.Services.GetRequiredService<RunStore>();
        await RunWorkerTests.WaitForAsync(runs, "collectgone", "ca1", RunStatus.Succeeded);
        string log = RunWorkerTests.LogPath(_acre.Server, "collectgone", "ca1");
        bool logged = File.Exists(log);

        // Act
        using var deleted = await arm.DeleteAsync($"{registry}?{Arm.RegistryApi}");

        // Assert
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        Assert.True(logged);
        Assert.False(Directory.Exists(Path.GetDirectoryName(log)));
        Assert.False(Directory.Exists(Path.Combine(TasksRoot, "source", "collectgone")));
    }

    private static async Task<string> CreateRunAsync(RunStore runs, string registry, string source)
    {
        var request = RunWorkerTests.BuildRequest(source);
        return await runs.CreateAsync(registry, RunRequests.Check(request).Properties!, request,
            CancellationToken.None);
    }

    /// <summary>An upload of the registry, written now or two hours ago; returns its relative path.</summary>
    private string Upload(string registry, bool old)
    {
        string source = RunWorkerTests.Upload(_acre.Server, registry);
        if (old)
        {
            Age(Path.Combine(TasksRoot, source));
        }

        return source;
    }

    private string Log(string registry, string runId)
    {
        string path = RunWorkerTests.LogPath(_acre.Server, registry, runId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "a log\r\n");
        return path;
    }

    private static void Age(string path)
    {
        var then = DateTime.UtcNow.AddHours(-2);
        if (Directory.Exists(path))
        {
            Directory.SetLastWriteTimeUtc(path, then);
        }
        else
        {
            File.SetLastWriteTimeUtc(path, then);
        }
    }

    private bool Exists(string source) => File.Exists(Path.Combine(TasksRoot, source));
}
