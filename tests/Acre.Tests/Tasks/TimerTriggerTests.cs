using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acre.Management.Tasks;
using Acre.Tasks.Triggers;
using Acre.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Acre.Tests.Tasks;

public sealed class TimerTriggerTests : IClassFixture<AcreServerFixture>
{
    private const string Api = "api-version=2019-06-01-preview";
    private readonly AcreServerFixture _acre;

    public TimerTriggerTests(AcreServerFixture acre) => _acre = acre;

    [Theory]
    [InlineData("* * * * *", "2026-03-04T05:06:00Z", true)]
    [InlineData("*/15 2-4 * * *", "2026-03-04T03:30:00Z", true)]
    [InlineData("*/15 2-4 * * *", "2026-03-04T03:31:00Z", false)]
    [InlineData("0 9 * * 1-5", "2026-03-07T09:00:00Z", false)]
    [InlineData("0 9 * * 7", "2026-03-08T09:00:00Z", true)]
    [InlineData("0 0 1,15 * *", "2026-03-15T00:00:00Z", true)]
    public void Matches_FollowsCron(string schedule, string time, bool expected)
    {
        Assert.Equal(expected, CronSchedule.TryParse(schedule)!.Matches(DateTimeOffset.Parse(time)));
    }

    [Theory]
    [InlineData("2026-03-04T05:06:00Z", 60)]
    [InlineData("2026-03-04T05:06:59.5Z", 0.5)]
    [InlineData("2026-03-04T23:59:30Z", 30)]
    public void UntilNextMinute_WakesAtTheStartOfTheNextMinute(string now, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimerTriggers.UntilNextMinute(DateTimeOffset.Parse(now)));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("*/0 * * * *")]
    public void TryParse_RefusesWhatIsNotCron(string schedule)
    {
        Assert.Null(CronSchedule.TryParse(schedule));
    }

    [Fact]
    public async Task FireDueAsync_QueuesOneRunPerMatchingMinute()
    {
        // Arrange
        using var arm = await Arm.ClientAsync(_acre);
        (await Arm.CreateGroupAsync(arm, "tasks")).Dispose();
        await Arm.CreateRegistryAsync(arm, "tasks", "tasktimer");
        string registry = Arm.RegistryPath("tasks", "tasktimer");
        var due = DateTimeOffset.UtcNow.AddDays(2);
        string schedule = $"{due.Minute} {due.Hour} {due.Day} {due.Month} *";
        using var created = await arm.PutAsJsonAsync($"{registry}/tasks/timed?{Api}", new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new { type = "EncodedTask", encodedTaskContent = Convert.ToBase64String("steps: []"u8) },
                trigger = new { timerTriggers = new[] { new { name = "nightly", schedule, status = "Enabled" } } },
            },
        });
        using var invalid = await arm.PutAsJsonAsync($"{registry}/tasks/badtimer?{Api}", new
        {
            location = "westus",
            properties = new
            {
                platform = new { os = "Linux" },
                step = new { type = "EncodedTask", encodedTaskContent = Convert.ToBase64String("steps: []"u8) },
                trigger = new { timerTriggers = new[] { new { name = "bad", schedule = "often" } } },
            },
        });
        var triggers = _acre.Server.App.Services.GetRequiredService<TimerTriggers>();

        // Act
        int first = await triggers.FireDueAsync(due, CancellationToken.None);
        int again = await triggers.FireDueAsync(due.AddSeconds(30), CancellationToken.None);
        var restarted = ActivatorUtilities.CreateInstance<TimerTriggers>(_acre.Server.App.Services);
        int afterRestart = await restarted.FireDueAsync(due, CancellationToken.None);
        var runs = await arm.GetFromJsonAsync<JsonElement>($"{registry}/runs?{Api}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await Arm.AssertErrorAsync(invalid, 400, "InvalidRequestContent");
        Assert.Equal(1, first);
        Assert.Equal(0, again);
        Assert.Equal(0, afterRestart);
        var run = runs.GetProperty("value")[0].GetProperty("properties");
        Assert.Equal("timed", run.GetProperty("task").GetString());
        Assert.Equal("nightly", run.GetProperty("timerTrigger").GetProperty("timerTriggerName").GetString());
    }
}
