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
}
