using System.Text.Json.Nodes;
using Acre.Cli;
using Acre.Hosting;
using Acre.Storage;
using Acre.Tasks.Runs;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Tasks;

public sealed class RunQueueTests
{
    [Fact]
    public async Task QueuedRun_RunsAfterARestart()
    {
        // Arrange: a run queued in the store while no queue took it, as after a stop.
        using var directory = new TempDirectory();
        var options = new AcreOptions
        {
            Port = 0,
            DataDir = directory.Path,
            AdminPassword = AcreServerFixture.AdminPassword,
            LogLevel = "Warning",
        };
        string source = $"source/local/{Guid.NewGuid():N}.tar.gz";
        var request = new JsonObject
        {
            ["type"] = RunRequests.DockerBuild,
            ["sourceLocation"] = source,
            ["dockerFilePath"] = "Dockerfile",
            ["imageNames"] = new JsonArray("survivor:1"),
            ["isPushEnabled"] = true,
        };
        await using (var first = await AcreServer.StartAsync(options, CancellationToken.None))
        {
            string path = Path.Combine(first.StorageRoot, "tasks", source);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, RunEndpointTests.Context("FROM scratch\nCOPY hello.txt /\n"));
            var store = first.App.Services.GetRequiredService<RunStore>();
            await store.CreateAsync("local", RunRequests.Check(request).Properties!, request, CancellationToken.None);
        }

        // Act
        await using var second = await AcreServer.StartAsync(options, CancellationToken.None);
        var runs = second.App.Services.GetRequiredService<RunStore>();
        string? status = null;
        for (int attempt = 0; attempt < 100 && status is not ("Succeeded" or "Failed"); attempt++)
        {
            await Task.Delay(100);
            var run = await runs.GetAsync("local", "ca1", CancellationToken.None);
            status = run?["properties"]?["status"]?.GetValue<string>();
        }

        // Assert
        Assert.Equal("Succeeded", status);
        var metadata = second.App.Services.GetRequiredService<IMetadataStore>();
        Assert.NotNull(await metadata.GetManifestAsync("local", "survivor", "1", CancellationToken.None));
    }
}
