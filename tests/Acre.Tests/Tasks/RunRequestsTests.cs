using System.Text.Json.Nodes;
using Acre.Tasks.Runs;

namespace Acre.Tests.Tasks;

public sealed class RunRequestsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData(300, true)]
    [InlineData(28800, true)]
    [InlineData(299, false)]
    [InlineData(28801, false)]
    public void Check_TakesATimeoutWithinTheSpecsBounds(int? timeout, bool taken)
    {
        var request = Request();
        if (timeout is not null)
        {
            request["timeout"] = timeout;
        }

        var (properties, error) = RunRequests.Check(request);

        Assert.Equal(taken, properties is not null);
        Assert.Equal(taken, error is null);
    }

    [Fact]
    public void Check_RefusesATimeoutThatIsNotAWholeNumber()
    {
        var request = Request();
        request["timeout"] = "600";

        var (_, error) = RunRequests.Check(request);

        Assert.Contains("'timeout'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RefusesAnArchiveFlagThatIsNotABoolean()
    {
        var request = Request();
        request["isArchiveEnabled"] = "yes";

        var (properties, error) = RunRequests.Check(request);

        Assert.Null(properties);
        Assert.Contains("'isArchiveEnabled'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTask_GivesTheRunTheTasksTimeoutAndAgentPool()
    {
        var task = new JsonObject
        {
            ["timeout"] = 900,
            ["agentPoolName"] = "pool1",
            ["platform"] = new JsonObject { ["os"] = "Linux" },
            ["step"] = new JsonObject { ["type"] = "Docker", ["dockerFilePath"] = "Dockerfile" },
        };

        var request = RunRequests.FromTask(task, null);

        Assert.Equal(900, RunRequests.Timeout(request));
        Assert.Equal("pool1", request["agentPoolName"]!.GetValue<string>());
        Assert.Equal(RunRequests.DefaultTimeout, RunRequests.Timeout(new JsonObject()));
    }

    private static JsonObject Request() => new()
    {
        ["type"] = RunRequests.DockerBuild,
        ["sourceLocation"] = $"source/local/{Guid.NewGuid():N}.tar.gz",
        ["dockerFilePath"] = "Dockerfile",
    };
}
