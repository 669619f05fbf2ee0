using Acre.EndToEnd.Tests.Support;

namespace Acre.EndToEnd.Tests.AzureCli;

/// <summary><c>az acr agentpool</c>: create, show, list, update, queue count and delete.</summary>
public sealed class AzureCliAgentPoolTests
{
    [RequiresToolsFact("az")]
    public async Task AgentPool_CreateShowUpdateQueueAndDelete()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var acre = await AcreProcess.StartAsync(work.Sub("data"));
        var cli = await AzureCli.RegisterAndLoginAsync(acre, work);

        // Act
        var created = await cli.JsonAsync("acr", "agentpool", "create", "-r", acre.Registry, "-n", "pool1",
            "--tier", "S2");
        var updated = await cli.JsonAsync("acr", "agentpool", "update", "-r", acre.Registry, "-n", "pool1",
            "--count", "3");
        var listed = await cli.JsonAsync("acr", "agentpool", "list", "-r", acre.Registry);
        var queue = await cli.JsonAsync("acr", "agentpool", "show", "-r", acre.Registry, "-n", "pool1",
            "--queue-count");
        await cli.RunAsync("acr", "agentpool", "delete", "-r", acre.Registry, "-n", "pool1", "--yes");
        var missing = await cli.TryRunAsync("acr", "agentpool", "show", "-r", acre.Registry, "-n", "pool1");

        // Assert
        Assert.Equal("S2", created["tier"]!.GetValue<string>());
        Assert.Equal(3, updated["count"]!.GetValue<int>());
        Assert.Equal("pool1", listed.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal(0, queue["count"]!.GetValue<int>());
        Assert.NotEqual(0, missing.ExitCode);
    }
}
