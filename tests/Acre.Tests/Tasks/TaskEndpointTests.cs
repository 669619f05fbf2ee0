using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Tests.Support;

namespace Acre.Tests.Tasks;

/// <summary>Tasks: create, get, listDetails, update, list and delete, in the Tasks spec's shapes.</summary>
public sealed class TaskEndpointTests : IClassFixture<AcreServerFixture>
{
    private const string Api = "api-version=2019-06-01-preview";
    private readonly AcreServerFixture _acre;

    public TaskEndpointTests(AcreServerFixture acre) => _acre = acre;

    [Fact]
    public async Task Tasks_KeepTheirStep_AndShowSecretsOnlyInDetails()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "taskcrud");
        string tasks = $"{Arm.RegistryPath("tasks", "taskcrud")}/tasks";
        var body = new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new
                {
                    type = "EncodedTask",
                    encodedTaskContent = Convert.ToBase64String("steps:\n  - cmd: hello\n"u8.ToArray()),
                    values = new[] { new { name = "token", value = "s3cret", isSecret = true } },
                },
            },
        };

        // Act
        using var created = await arm.PutAsJsonAsync($"{tasks}/nightly?{Api}", body);
        var shown = await arm.GetFromJsonAsync<JsonElement>($"{tasks}/nightly?{Api}");
        using var details = await arm.PostAsync($"{tasks}/nightly/listDetails?{Api}", null);
        using var patched = await arm.PatchAsJsonAsync($"{tasks}/nightly?{Api}",
            new { properties = new { status = "Disabled" } });
        var listed = await arm.GetFromJsonAsync<JsonElement>($"{tasks}?{Api}");
        using var invalid = await arm.PutAsJsonAsync($"{tasks}/windows?{Api}",
            new { location = "westus", properties = new { platform = new { os = "Windows" }, body.properties.step } });
        using var deleted = await arm.DeleteAsync($"{tasks}/nightly?{Api}");
        using var gone = await arm.GetAsync($"{tasks}/nightly?{Api}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var step = shown.GetProperty("properties").GetProperty("step");
        Assert.Equal("EncodedTask", step.GetProperty("type").GetString());
        Assert.False(step.GetProperty("values")[0].TryGetProperty("value", out _));
        var detailed = await details.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("s3cret", detailed.GetProperty("properties").GetProperty("step").GetProperty("values")[0]
            .GetProperty("value").GetString());
        var updated = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Disabled", updated.GetProperty("properties").GetProperty("status").GetString());
        Assert.Equal("nightly", listed.GetProperty("value")[0].GetProperty("name").GetString());
        await Arm.AssertErrorAsync(invalid, 400, "InvalidRequestContent");
        Assert.True(deleted.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Patch_MergesIntoTheTask_TimersByName_AndANullRemoves()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "taskpatch");
        string task = $"{Arm.RegistryPath("tasks", "taskpatch")}/tasks/patched?{Api}";
        using var created = await arm.PutAsJsonAsync(task, new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux", architecture = "amd64" },
                step = new { type = "EncodedTask", encodedTaskContent = Convert.ToBase64String("steps: []"u8) },
                trigger = new { timerTriggers = new[] { new { name = "nightly", schedule = "0 3 * * *" } } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        // Act: what az acr task timer add/update, credential add/remove and update --status send
        await PatchAsync(arm, task, new
        {
            trigger = new { timerTriggers = new[] { new { name = "hourly", schedule = "0 * * * *" } } },
        });
        await PatchAsync(arm, task, new
        {
            trigger = new { timerTriggers = new[] { new { name = "nightly", status = "Disabled" } } },
        });
        await PatchAsync(arm, task, new
        {
            credentials = new
            {
                customRegistries = new Dictionary<string, object>
                {
                    ["other.azurecr.localhost"] = new { userName = new { type = "Opaque", value = "u" } },
                    ["third.azurecr.localhost"] = new { userName = new { type = "Opaque", value = "v" } },
                },
            },
        });
        await PatchAsync(arm, task, new
        {
            credentials = new
            {
                customRegistries = new Dictionary<string, object?> { ["other.azurecr.localhost"] = null },
            },
        });
        var updated = await PatchAsync(arm, task, new { status = "Disabled", platform = new { }, step = new { } });

        // Assert
        var properties = updated.GetProperty("properties");
        var timers = properties.GetProperty("trigger").GetProperty("timerTriggers").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["hourly", "nightly"], timers.Keys.Order());
        Assert.Equal("Disabled", timers["nightly"].GetProperty("status").GetString());
        Assert.Equal("0 3 * * *", timers["nightly"].GetProperty("schedule").GetString());
        Assert.Equal(["third.azurecr.localhost"], properties.GetProperty("credentials").GetProperty("customRegistries")
            .EnumerateObject().Select(r => r.Name));
        Assert.Equal("Disabled", properties.GetProperty("status").GetString());
        Assert.Equal("Linux", properties.GetProperty("platform").GetProperty("os").GetString());
        Assert.Equal("EncodedTask", properties.GetProperty("step").GetProperty("type").GetString());
    }

    private static async Task<JsonElement> PatchAsync(HttpClient arm, string task, object properties)
    {
        using var response = await arm.PatchAsJsonAsync(task, new { properties });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task AgentPoolsAndTaskRuns_KeepTheirShape_AndTaskRunsScheduleARun()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "taskpools", sku: "Premium");
        await Arm.CreateRegistryAsync(arm, "tasks", "taskbasic");
        string registry = Arm.RegistryPath("tasks", "taskpools");
        string yaml = Convert.ToBase64String("steps:\n  - push: [\"never/built:1\"]\n"u8.ToArray());

        // Act
        using var pool = await arm.PutAsJsonAsync($"{registry}/agentPools/pool1?{Api}",
            new { location = "westus", properties = new { tier = "S2", count = 2 } });
        using var basicPool = await arm.PutAsJsonAsync($"{Arm.RegistryPath("tasks", "taskbasic")}/agentPools/p1?{Api}",
            new { location = "westus", properties = new { tier = "S1" } });
        using var queue = await arm.PostAsync($"{registry}/agentPools/pool1/listQueueStatus?{Api}", null);
        using var taskRun = await arm.PutAsJsonAsync($"{registry}/taskRuns/once1?{Api}", new
        {
            properties = new { runRequest = new { type = "EncodedTaskRunRequest", encodedTaskContent = yaml } },
        });
        JsonElement result = default;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            result = (await arm.GetFromJsonAsync<JsonElement>($"{registry}/taskRuns/once1?{Api}"))
                .GetProperty("properties").GetProperty("runResult").GetProperty("properties");
            if (result.GetProperty("status").GetString() == "Failed")
            {
                break;
            }

            await Task.Delay(100);
        }

        // Assert
        Assert.True(pool.IsSuccessStatusCode, await pool.Content.ReadAsStringAsync());
        var poolProperties = (await pool.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("properties");
        Assert.Equal("S2", poolProperties.GetProperty("tier").GetString());
        Assert.Equal(2, poolProperties.GetProperty("count").GetInt32());
        Assert.False(basicPool.IsSuccessStatusCode);
        Assert.Equal(0, (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
        Assert.True(taskRun.IsSuccessStatusCode, await taskRun.Content.ReadAsStringAsync());
        Assert.Equal("ca1", result.GetProperty("runId").GetString());
        Assert.Equal("Failed", result.GetProperty("status").GetString());
        Assert.Contains("was not built by this run", result.GetProperty("runErrorMessage").GetString(),
            StringComparison.Ordinal);
    }
}
