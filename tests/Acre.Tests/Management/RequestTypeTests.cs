using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acre.Tests.Support;

namespace Acre.Tests.Management;

/// <summary>
/// Request bodies whose values have the wrong JSON type or leave the spec's bounds: ARM's 400, and nothing kept.
/// </summary>
public sealed class RequestTypeTests(AcreServerFixture acre) : IClassFixture<AcreServerFixture>, IAsyncLifetime
{
    private const string TasksApi = "api-version=2019-06-01-preview";
    private const string Group = "types";
    private const string Name = "typecheck1";
    private static readonly string Registry = Arm.RegistryPath(Group, Name);

    private HttpClient _arm = null!;

    public async Task InitializeAsync()
    {
        _arm = await Arm.ClientAsync(acre);
        (await Arm.CreateGroupAsync(_arm, Group)).Dispose();
        await Arm.CreateRegistryAsync(_arm, Group, Name, sku: "Premium");
    }

    public Task DisposeAsync()
    {
        _arm.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("""{"networkRuleSet":{"ipRules":"x"}}""")]
    [InlineData("""{"networkRuleSet":{"ipRules":[{"value":5}]}}""")]
    [InlineData("""{"networkRuleSet":{"defaultAction":"Maybe"}}""")]
    [InlineData("""{"policies":{"retentionPolicy":{"days":"x"}}}""")]
    [InlineData("""{"policies":{"retentionPolicy":{"days":99999999999}}}""")]
    [InlineData("""{"policies":{"retentionPolicy":{"days":366}}}""")]
    [InlineData("""{"policies":{"retentionPolicy":{"days":-1}}}""")]
    [InlineData("""{"policies":{"trustPolicy":{"status":"sometimes"}}}""")]
    [InlineData("""{"policies":{"quarantinePolicy":5}}""")]
    [InlineData("""{"encryption":{"keyVaultProperties":{"keyIdentifier":[]}}}""")]
    public async Task RegistryPatch_WithWronglyTypedProperty_Is400_AndKeepsNothing(string properties)
    {
        // Act
        using var response = await SendAsync(HttpMethod.Patch, Registry, $$"""{"properties":{{properties}}}""");
        var kept = await _arm.GetFromJsonAsync<JsonElement>($"{Registry}?{Arm.RegistryApi}");

        // Assert
        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
        var shown = kept.GetProperty("properties");
        Assert.NotEqual(JsonValueKind.String, shown.GetProperty("networkRuleSet").GetProperty("ipRules").ValueKind);
        Assert.Equal(7, shown.GetProperty("policies").GetProperty("retentionPolicy").GetProperty("days").GetInt32());
    }

    [Fact]
    public async Task RegistryPatch_WithRetentionInBounds_IsKept()
    {
        using var response = await SendAsync(HttpMethod.Patch, Registry,
            """{"properties":{"policies":{"retentionPolicy":{"days":365,"status":"disabled"}}}}""");
        var kept = await _arm.GetFromJsonAsync<JsonElement>($"{Registry}?{Arm.RegistryApi}");
        using var reset = await SendAsync(HttpMethod.Patch, Registry,
            """{"properties":{"policies":{"retentionPolicy":{"days":7}}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(365, kept.GetProperty("properties").GetProperty("policies").GetProperty("retentionPolicy")
            .GetProperty("days").GetInt32());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
    }

    [Theory]
    [InlineData("""{"location":"westus","sku":{"name":"Basic"},"properties":"x"}""")]
    [InlineData("""{"location":"westus","sku":{"name":"Basic"},"properties":[]}""")]
    [InlineData("""{"location":"westus","sku":{"name":"Basic"},"identity":"x"}""")]
    public async Task RegistryPut_WithPropertiesNotAnObject_Is400_AndCreatesNothing(string body)
    {
        using var response = await SendAsync(HttpMethod.Put, Arm.RegistryPath(Group, "typecheck2"), body);
        using var get = await _arm.GetAsync($"{Arm.RegistryPath(Group, "typecheck2")}?{Arm.RegistryApi}");

        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("""{"trigger":{"timerTriggers":"x","baseImageTrigger":5}}""")]
    [InlineData("""{"trigger":{"timerTriggers":[{"name":"t","schedule":5}]}}""")]
    [InlineData("""{"trigger":{"baseImageTrigger":{"name":"b","baseImageTriggerType":"Sometimes"}}}""")]
    [InlineData("""{"step":{"type":"Docker","dockerFilePath":"Dockerfile","imageNames":"app"}}""")]
    [InlineData("""{"step":{"type":"Docker","dockerFilePath":"Dockerfile","isPushEnabled":"yes"}}""")]
    [InlineData("""{"step":{"type":"Docker","dockerFilePath":"Dockerfile","arguments":[{"isSecret":"no"}]}}""")]
    [InlineData("""{"step":{"type":5}}""")]
    [InlineData("""{"platform":"linux"}""")]
    [InlineData("""{"agentConfiguration":{"cpu":"two"}}""")]
    [InlineData("""{"credentials":{"customRegistries":{"r.io":{"password":"x"}}}}""")]
    public async Task TaskPutAndPatch_WithWronglyTypedProperty_Are400(string properties)
    {
        // Arrange
        string task = $"{Registry}/tasks/typedtask";
        const string valid =
            """{"platform":{"os":"Linux"},"step":{"type":"EncodedTask","encodedTaskContent":"c3RlcHM6"}}""";
        using var created = await SendAsync(HttpMethod.Put, task, $$"""{"location":"westus","properties":{{valid}}}""",
            TasksApi);
        var merged = JsonNode.Parse(valid)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(properties)!.AsObject())
        {
            merged[key] = value?.DeepClone();
        }

        // Act
        using var put = await SendAsync(HttpMethod.Put, $"{Registry}/tasks/typedput",
            $$"""{"location":"westus","properties":{{merged}}}""", TasksApi);
        using var patch = await SendAsync(HttpMethod.Patch, task, $$"""{"properties":{{properties}}}""", TasksApi);

        // Assert
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await Arm.AssertErrorAsync(put, 400, "InvalidRequestContent");
        await Arm.AssertErrorAsync(patch, 400, "InvalidRequestContent");
    }

    [Fact]
    public async Task Body_WithARepeatedProperty_Is400()
    {
        using var response = await SendAsync(HttpMethod.Patch, Registry,
            """{"properties":{"adminUserEnabled":true,"adminUserEnabled":false}}""");

        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
    }

    [Theory]
    [InlineData("""{"type":"EncodedTaskRunRequest","encodedTaskContent":"c3RlcHM6","isArchiveEnabled":"yes"}""")]
    [InlineData("""{"type":"EncodedTaskRunRequest","encodedTaskContent":"c3RlcHM6","values":[{"isSecret":1}]}""")]
    [InlineData("""{"type":"EncodedTaskRunRequest","encodedTaskContent":"c3RlcHM6","sourceLocation":5}""")]
    [InlineData("""{"type":"EncodedTaskRunRequest","encodedTaskContent":"c3RlcHM6","agentPoolName":true}""")]
    [InlineData("""{"type":"DockerBuildRequest","dockerFilePath":"Dockerfile","imageNames":[5]}""")]
    [InlineData("""{"type":"DockerBuildRequest","dockerFilePath":"Dockerfile","noCache":"yes"}""")]
    [InlineData("""{"type":"DockerBuildRequest","dockerFilePath":"Dockerfile","platform":{"os":7}}""")]
    [InlineData("""{"type":"TaskRunRequest","taskId":"x","overrideTaskStepProperties":"x"}""")]
    [InlineData("""{"type":5}""")]
    public async Task ScheduleRun_WithWronglyTypedField_IsInvalidRunRequest(string request)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{Registry}/scheduleRun", request, TasksApi);

        await Arm.AssertErrorAsync(response, 400, "InvalidRunRequest");
    }

    [Theory]
    [InlineData("""{"runRequest":{"type":"FileTaskRunRequest","taskFilePath":"t.yaml","isArchiveEnabled":"yes"}}""")]
    [InlineData("""{"runRequest":"x"}""")]
    [InlineData("""{"forceUpdateTag":5}""")]
    public async Task TaskRunPut_WithWronglyTypedField_Is400(string properties)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{Registry}/taskRuns/typedrun",
            $$"""{"properties":{{properties}}}""", TasksApi);

        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
    }

    [Theory]
    [InlineData("""{"tier":"S1","os":5}""")]
    [InlineData("""{"tier":"S1","virtualNetworkSubnetResourceId":[]}""")]
    [InlineData("""{"tier":"S1","count":"2"}""")]
    public async Task AgentPoolPut_WithWronglyTypedField_Is400(string properties)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{Registry}/agentPools/typedpool",
            $$"""{"location":"westus","properties":{{properties}}}""", TasksApi);

        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
    }

    [Fact]
    public async Task ChildPut_WithPropertiesNotAnObject_Is400()
    {
        using var response = await SendAsync(HttpMethod.Put, $"{Registry}/scopeMaps/typedmap",
            """{"properties":"x"}""", Arm.RegistryApi);

        await Arm.AssertErrorAsync(response, 400, "InvalidRequestContent");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json,
        string api = Arm.RegistryApi)
    {
        using var request = new HttpRequestMessage(method, $"{path}?{api}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return await _arm.SendAsync(request);
    }
}
